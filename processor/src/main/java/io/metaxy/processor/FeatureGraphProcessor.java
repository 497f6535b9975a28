package io.metaxy.processor;

import com.google.auto.service.AutoService;
import io.metaxy.FeatureKey;
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
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Javac annotation processor (compiler plugin) for what spans every feature of a compilation: duplicate
 * keys and dependency cycles, the registry class, its {@code META-INF/services} entry and
 * {@code META-INF/metaxy/graph.json}. Aggregating for Gradle; user code never references this class.
 *
 * <p>It writes the registry in the first round in which every feature seen so far has resolved (usually
 * the first round, next to the companions {@link FeatureProcessor} writes: the registry names them, so
 * it compiles without them, and no extra round is needed for it). Features that other processors
 * generate in later rounds get a registry class of their own in their round. The resources, which list
 * every registry and definition, are written when processing is over. Graph errors (duplicate keys,
 * cycles) are reported once, when a registry would be written, or at the end of processing.
 */
@AutoService(Processor.class)
public final class FeatureGraphProcessor extends AbstractProcessor {
  private static final String SERVICE_FILE = "META-INF/services/io.metaxy.graph.FeatureRegistry";

  private Options options;
  /** Every feature seen so far, by qualified name. */
  private final Set<String> features = new TreeSet<>();
  /** Features a written registry names, by qualified name. */
  private final Set<String> registered = new TreeSet<>();
  /** The registry classes written, in order. */
  private final List<String> registries = new ArrayList<>();
  /** The definitions of the registered features, by key (graph.json). */
  private final Map<FeatureKey, FeatureDefinition> definitions = new TreeMap<>();
  /** Set after graph errors: nothing more is written. */
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
      TypeElement feature = processingEnv.getElementUtils().getTypeElement(Ann.FEATURE);
      if (feature != null && !round.processingOver()) {
        for (Element e : round.getElementsAnnotatedWith(feature)) {
          if (e instanceof TypeElement t) {
            features.add(t.getQualifiedName().toString());
          }
        }
      }
      if (!done && !registered.containsAll(features)) {
        register(round.processingOver());
      }
      if (round.processingOver() && !done && !registries.isEmpty()) {
        Element[] origin = origins();
        resource(SERVICE_FILE, String.join("\n", registries) + "\n", origin);
        resource(
            GraphJson.RESOURCE,
            GraphJson.write(new ArrayList<>(definitions.values())) + "\n",
            origin);
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

  /** Checks the whole graph and writes a registry for the features no registry names yet. */
  private void register(boolean last) throws IOException {
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
    List<Declaration> fresh = new ArrayList<>();
    for (Declaration d : declarations) {
      if (!registered.contains(d.type().getQualifiedName().toString())) {
        if (d.model() == null) {
          // FeatureProcessor reports why; the compilation fails, so there is nothing to register.
          done = true;
          return;
        }
        fresh.add(d);
      }
    }
    if (last || fresh.isEmpty()) {
      // A source written in the last round would not be compiled; this only happens when types
      // never resolved, which FeatureProcessor reports.
      done = last;
      return;
    }
    fresh.sort(Comparator.comparing((Declaration d) -> d.key()));
    write(fresh);
  }

  private void write(List<Declaration> fresh) throws IOException {
    String name;
    if (registries.isEmpty()) {
      List<String> packages =
          fresh.stream().map(d -> d.validModel().packageName()).toList();
      name = options.registry() != null ? options.registry() : Names.defaultRegistryName(packages);
    } else {
      name = registries.get(0) + "_" + (registries.size() + 1);
    }
    List<String> companions = new ArrayList<>();
    List<Element> originating = new ArrayList<>();
    for (Declaration d : fresh) {
      companions.add(d.validModel().companionQualifiedName());
      originating.add(d.type());
      definitions.put(d.key(), d.validModel().definition());
      registered.add(d.type().getQualifiedName().toString());
    }
    SourceFileGenerator generator =
        new SourceFileGenerator(processingEnv.getFiler(), processingEnv.getElementUtils());
    generator.write(
        name,
        RegistryWriter.registry(name, companions, generator.generatedAnnotation()),
        originating);
    registries.add(name);
  }

  /** The registered records, the resources' originating elements (those still resolvable). */
  private Element[] origins() {
    List<Element> out = new ArrayList<>();
    for (String name : registered) {
      TypeElement t = processingEnv.getElementUtils().getTypeElement(name);
      if (t != null) {
        out.add(t);
      }
    }
    return out.toArray(Element[]::new);
  }

  private void resource(String path, String content, Element[] origin) throws IOException {
    FileObject file =
        processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", path, origin);
    try (Writer w = new OutputStreamWriter(file.openOutputStream(), StandardCharsets.UTF_8)) {
      w.write(content);
    }
  }
}
