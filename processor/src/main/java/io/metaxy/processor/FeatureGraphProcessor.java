package io.metaxy.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import io.metaxy.graph.GraphJson;
import io.metaxy.processor.model.Names;
import io.metaxy.processor.validation.Ann;
import io.metaxy.processor.validation.Declaration;
import io.metaxy.processor.validation.Diagnostic;
import io.metaxy.processor.validation.FeatureReader;
import io.metaxy.processor.validation.GraphValidator;
import io.metaxy.processor.validation.Report;
import io.metaxy.processor.validation.SourcePositions;
import io.metaxy.processor.writing.RegistryWriter;
import io.metaxy.processor.writing.SourceFileGenerator;
import io.metaxy.spec.FeatureDefinition;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic.Kind;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Javac annotation processor (compiler plugin) for what spans every feature of a compilation: duplicate
 * keys and dependency cycles, the registry class, its {@code META-INF/services} entry and
 * {@code META-INF/metaxy/graph.json}. Aggregating for Gradle; user code never references this class.
 *
 * <p>It acts in the first round that brings no new {@code @Feature} (the companions written by
 * {@link FeatureProcessor} exist by then, and a source written there is still compiled normally), or
 * reports graph errors at the end of processing if no such round comes.
 */
@AutoService(Processor.class)
public final class FeatureGraphProcessor extends AbstractProcessor {
  private static final String SERVICE_FILE = "META-INF/services/io.metaxy.graph.FeatureRegistry";

  private Options options;
  private final Set<String> features = new TreeSet<>();
  private boolean done;

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    Report report = new Report();
    options = Options.parse(env.getOptions(), report, Set.of(Options.Name.REGISTRY));
    report.printTo(env.getMessager(), null);
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(Ann.FEATURE);
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Options.names();
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    try {
      Set<String> fresh = new TreeSet<>();
      TypeElement feature = processingEnv.getElementUtils().getTypeElement(Ann.FEATURE);
      if (feature != null && !round.processingOver()) {
        for (Element e : round.getElementsAnnotatedWith(feature)) {
          if (e instanceof TypeElement t) {
            fresh.add(t.getQualifiedName().toString());
          }
        }
      }
      features.addAll(fresh);
      if (!done && !features.isEmpty() && (fresh.isEmpty() || round.processingOver())) {
        finish(round.processingOver());
      }
    } catch (RuntimeException | IOException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      processingEnv
          .getMessager()
          .printMessage(Kind.ERROR, Diagnostic.INTERNAL_ERROR.format("the feature graph", trace));
      done = true;
    }
    // Never claim @Feature: other processors may want it too.
    return false;
  }

  private void finish(boolean last) throws IOException {
    FeatureReader reader = new FeatureReader(processingEnv.getElementUtils(), options.project());
    List<Declaration> declarations = new ArrayList<>();
    boolean complete = true;
    for (String name : features) {
      TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
      if (type == null) {
        complete = false;
        continue;
      }
      Declaration d = reader.read(type);
      declarations.add(d);
      complete &= d.unresolved().isEmpty();
    }
    if (!complete && !last) {
      return; // wait for the types another processor may still generate
    }
    Report report = GraphValidator.check(declarations);
    if (!report.isClean()) {
      report.printTo(processingEnv.getMessager(), SourcePositions.of(processingEnv));
      done = true;
      return;
    }
    for (Declaration d : declarations) {
      if (d.model() == null
          || processingEnv.getElementUtils().getTypeElement(d.model().companionQualifiedName())
              == null) {
        // FeatureProcessor either reported why, or writes the companion in this round (a feature it
        // had deferred); in the latter case the next round has it.
        done = last;
        return;
      }
    }
    done = true;
    if (last) {
      // A source written in the last round would not be compiled; this only happens when
      // FeatureProcessor wrote nothing, i.e. reported errors.
      return;
    }
    declarations.sort(Comparator.comparing((Declaration d) -> d.key()));
    write(declarations);
  }

  private void write(List<Declaration> features) throws IOException {
    List<String> packages = features.stream().map(d -> d.model().packageName()).toList();
    String registryName =
        options.registry() != null ? options.registry() : Names.defaultRegistryName(packages);
    ClassName registry = ClassName.bestGuess(registryName);
    List<ClassName> companions = new ArrayList<>();
    List<FeatureDefinition> definitions = new ArrayList<>();
    List<Element> originating = new ArrayList<>();
    for (Declaration d : features) {
      companions.add(ClassName.get(d.model().packageName(), d.model().companionSimpleName()));
      definitions.add(d.model().definition());
      originating.add(d.type());
    }
    SourceFileGenerator generator =
        new SourceFileGenerator(processingEnv.getFiler(), processingEnv.getElementUtils());
    generator.write(generator.file(
        registry.packageName(),
        RegistryWriter.registry(registry, companions),
        FeatureGraphProcessor.class,
        originating));
    Element[] origin = originating.toArray(Element[]::new);
    resource(SERVICE_FILE, registryName + "\n", origin);
    resource(GraphJson.RESOURCE, GraphJson.write(definitions) + "\n", origin);
  }

  private void resource(String path, String content, Element[] origin) throws IOException {
    FileObject file =
        processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", path, origin);
    try (Writer w = new OutputStreamWriter(file.openOutputStream(), StandardCharsets.UTF_8)) {
      w.write(content);
    }
  }
}
