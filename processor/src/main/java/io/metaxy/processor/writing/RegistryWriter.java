package io.metaxy.processor.writing;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;

/** Generates the registry class of a compilation, which lists every companion. */
public final class RegistryWriter {
  private static final ClassName LIST = ClassName.get(List.class);
  private static final ClassName REGISTRY = ClassName.get("io.metaxy.graph", "FeatureRegistry");
  private static final ClassName DEFINITION = ClassName.get("io.metaxy.spec", "FeatureDefinition");
  private static final ClassName COMPILED =
      ClassName.get("io.metaxy.graph", "FeatureRegistry", "CompiledVersions");

  private RegistryWriter() {}

  /**
   * The registry type.
   *
   * @param name the registry class
   * @param companions the companions, sorted by feature key
   */
  public static TypeSpec.Builder registry(ClassName name, List<ClassName> companions) {
    CodeBlock.Builder defs = CodeBlock.builder().add("return $T.of(", LIST);
    CodeBlock.Builder versions = CodeBlock.builder().add("return $T.of(", LIST);
    for (int i = 0; i < companions.size(); i++) {
      defs.add(i == 0 ? "\n$T.DEFINITION" : ",\n$T.DEFINITION", companions.get(i));
      versions.add(
          i == 0 ? "\n$T.COMPILED_VERSIONS" : ",\n$T.COMPILED_VERSIONS", companions.get(i));
    }
    return TypeSpec.classBuilder(name)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(REGISTRY)
        .addJavadoc(
            "The Metaxy features of this compilation, found by {@code FeatureGraph.load()} through\n"
                + "{@link java.util.ServiceLoader}.\n")
        .addMethod(MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PUBLIC)
            .addJavadoc("Called by {@link java.util.ServiceLoader}.\n")
            .build())
        .addMethod(MethodSpec.methodBuilder("definitions")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(ParameterizedTypeName.get(LIST, DEFINITION))
            .addStatement(defs.add(")").build())
            .build())
        .addMethod(MethodSpec.methodBuilder("compiledVersions")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(ParameterizedTypeName.get(LIST, COMPILED))
            .addStatement(versions.add(")").build())
            .build());
  }
}
