package io.metaxy.processor;

import com.google.auto.service.AutoService;
import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.processor.model.CompiledFeature;
import io.metaxy.processor.model.CompiledFeatures;
import io.metaxy.processor.model.FeatureModel;
import io.metaxy.processor.validation.Ann;
import io.metaxy.processor.validation.Declaration;
import io.metaxy.processor.validation.Diagnostic;
import io.metaxy.processor.validation.FeatureReader;
import io.metaxy.processor.validation.Report;
import io.metaxy.processor.validation.SourcePositions;
import io.metaxy.processor.validation.UpstreamValidator;
import io.metaxy.processor.validation.Upstreams;
import io.metaxy.processor.writing.CompanionWriter;
import io.metaxy.processor.writing.SourceFileGenerator;
import io.metaxy.spec.FeatureDefinition;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic.Kind;
import org.jspecify.annotations.Nullable;

/**
 * Javac annotation processor (compiler plugin) that validates each {@code @Feature} record and
 * generates its companion; user code never references this class. Isolating for Gradle: each
 * companion depends only on its record and the records it names (by class); whole-graph checks and
 * the registry are {@link FeatureGraphProcessor}'s job.
 *
 * <p>Per round: read and check each feature ({@code validation}), build its immutable model and
 * versions ({@code model}, through the runtime's versioning code), then write it ({@code writing}).
 */
@AutoService(Processor.class)
public final class FeatureProcessor extends AbstractProcessor {
  private Options options;
  private @Nullable Map<FeatureKey, FeatureDefinition> classpath;
  /** Every feature seen so far, by qualified name (elements may change identity between rounds). */
  private final Set<String> seen = new TreeSet<>();
  /** Features waiting for undefined types, by qualified name → the types. */
  private final Map<String, Set<String>> deferred = new TreeMap<>();
  /** Companions written, so no file is generated twice. */
  private final Set<String> written = new TreeSet<>();

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    Report report = new Report();
    // Each option's errors are reported by the processor that uses it, so each is reported once.
    options = Options.parse(
        env.getOptions(),
        report,
        Set.of(Options.Name.PROJECT, Options.Name.HASH_TRUNCATION_LENGTH));
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
      if (round.processingOver()) {
        reportDeferred();
      } else {
        processRound(round);
      }
    } catch (RuntimeException e) {
      internalError(null, e);
    }
    // Never claim @Feature: other processors may want it too.
    return false;
  }

  private void processRound(RoundEnvironment round) {
    Set<String> names = new TreeSet<>(deferred.keySet());
    deferred.clear();
    TypeElement feature = processingEnv.getElementUtils().getTypeElement(Ann.FEATURE);
    if (feature != null) {
      for (Element e : round.getElementsAnnotatedWith(feature)) {
        if (e instanceof TypeElement t) {
          names.add(t.getQualifiedName().toString());
        }
      }
    }
    seen.addAll(names);
    if (names.isEmpty()) {
      return;
    }
    FeatureReader reader = new FeatureReader(processingEnv.getElementUtils(), options.project());
    Upstreams upstreams =
        new Upstreams(processingEnv.getElementUtils(), reader, seen, this::classpath);
    // Per round, like the declarations it is computed from: one memo of versions for every feature.
    CompiledFeatures compiler = new CompiledFeatures(options.truncation());
    SourceFileGenerator generator =
        new SourceFileGenerator(processingEnv.getFiler(), processingEnv.getElementUtils());
    for (String name : names) {
      TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
      if (type == null || written.contains(name)) {
        continue;
      }
      try {
        processFeature(type, upstreams, compiler, generator);
      } catch (RuntimeException | IOException e) {
        internalError(type, e);
      }
    }
  }

  /**
   * One feature, in three steps: validate (locally, then against its upstream), compile (plan and
   * versions), write. A feature with undefined types is deferred, and its errors are printed once its
   * types resolve (or at the end), so nothing is reported twice.
   */
  private void processFeature(
      TypeElement type,
      Upstreams upstreams,
      CompiledFeatures compiler,
      SourceFileGenerator generator)
      throws IOException {
    Declaration d = upstreams.declaration(type);
    Set<String> unresolved = new TreeSet<>(d.unresolved());
    Report report = new Report();
    report.addAll(d.report());
    CompiledFeature compiled = null;
    List<TypeElement> originating = new ArrayList<>(List.of(type));
    FeatureModel model = d.model();
    if (unresolved.isEmpty() && model != null) {
      Upstreams.Resolution upstream = upstreams.resolve(d);
      originating.addAll(upstream.byKey().values());
      unresolved.addAll(upstream.unresolved());
      report.addAll(upstream.report());
      if (unresolved.isEmpty() && report.isClean() && !upstream.blocked()) {
        report.addAll(
            new UpstreamValidator(processingEnv.getElementUtils()).check(d, upstream.upstream()));
        if (report.isClean()) {
          compiled = compile(compiler, d, model, upstream, report);
        }
      }
    }
    if (!unresolved.isEmpty()) {
      deferred.put(type.getQualifiedName().toString(), unresolved);
      return;
    }
    if (!report.isClean()) {
      report.printTo(processingEnv.getMessager(), SourcePositions.of(processingEnv));
    }
    if (compiled != null) {
      // Isolating for Gradle: the record is the one originating element, as long as every upstream
      // is named by class (Gradle then sees the dependency in the record's class file,
      // transitively). Records found through a key are originating elements too; Gradle answers
      // more than one with a full recompilation, which is correct where an incremental one would
      // leave this companion stale.
      generator.write(
          compiled.model().companionQualifiedName(),
          CompanionWriter.companion(compiled, generator.generatedAnnotation()),
          originating);
      written.add(type.getQualifiedName().toString());
    }
  }

  /** Plan and versions through the runtime's versioning code; its rejections become diagnostics. */
  private @Nullable CompiledFeature compile(
      CompiledFeatures compiler,
      Declaration d,
      FeatureModel model,
      Upstreams.Resolution upstream,
      Report report) {
    try {
      return compiler.compile(model, upstream.upstream());
    } catch (MetaxyException e) {
      report.error(
          Diagnostic.UNRESOLVABLE_FIELD_DEPS,
          d.type(),
          d.feature(),
          null,
          e.getMessage(),
          d.type().getSimpleName());
      return null;
    }
  }

  /** The class path's feature graph, read once per compilation and only when a key must be looked up. */
  private Map<FeatureKey, FeatureDefinition> classpath() {
    if (classpath == null) {
      try {
        classpath = ClasspathGraph.read(processingEnv.getFiler());
      } catch (MetaxyException e) {
        processingEnv
            .getMessager()
            .printMessage(Kind.ERROR, Diagnostic.CLASSPATH_GRAPH.format(e.getMessage()));
        classpath = Map.of();
      }
    }
    return classpath;
  }

  private void reportDeferred() {
    for (Map.Entry<String, Set<String>> e : deferred.entrySet()) {
      TypeElement type = processingEnv.getElementUtils().getTypeElement(e.getKey());
      String message = Diagnostic.UNDEFINED_TYPE.format(
          e.getKey(), String.join(", ", new LinkedHashSet<>(e.getValue())));
      if (type != null) {
        processingEnv.getMessager().printMessage(Kind.ERROR, message, type);
      } else {
        processingEnv.getMessager().printMessage(Kind.ERROR, message);
      }
    }
    deferred.clear();
  }

  /** Exceptions never reach javac: they become one located error. */
  private void internalError(@Nullable Element element, Exception e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    String message = Diagnostic.INTERNAL_ERROR.format(element == null ? "a round" : element, trace);
    if (element == null) {
      processingEnv.getMessager().printMessage(Kind.ERROR, message);
    } else {
      processingEnv.getMessager().printMessage(Kind.ERROR, message, element);
    }
  }
}
