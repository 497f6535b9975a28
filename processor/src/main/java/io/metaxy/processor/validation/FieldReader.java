package io.metaxy.processor.validation;

import io.metaxy.FieldKey;
import io.metaxy.json.CanonicalJson;
import io.metaxy.processor.model.FeatureModels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.AnnotationValue;
import org.jspecify.annotations.Nullable;

/** Reads the {@code @Field}s of a feature record: keys, code versions and {@code dependsOn}. */
final class FieldReader {
  private FieldReader() {}

  /**
   * The fields of a record.
   *
   * @param decls every {@code @Field} (for the checks against upstream fields and positions)
   * @param fields the valid ones, for the model
   * @param unresolved names of upstream classes in {@code @On} that did not resolve
   * @param blocked whether an upstream class in {@code @On} has an invalid key of its own
   */
  record Fields(
      List<Declaration.FieldDecl> decls,
      List<FeatureModels.Field> fields,
      Set<String> unresolved,
      boolean blocked) {}

  /**
   * Reads the fields.
   *
   * @param deps the record's {@code @Dep}s, which every {@code @On} must name
   */
  static Fields read(FeatureContext ctx, List<Declaration.DepDecl> deps) {
    List<Declaration.FieldDecl> decls = new ArrayList<>();
    List<FeatureModels.Field> fields = new ArrayList<>();
    Set<String> unresolved = new TreeSet<>();
    boolean blocked = false;
    Map<String, String> keyByStructKey = new HashMap<>();
    for (Ann field : Ann.findRepeated(ctx.type(), Ann.FIELD, Ann.FIELDS, ctx.elements())) {
      String keyString = field.string("key");
      FieldKey key = Keys.fieldKey(ctx, field, field.value("key"));
      if (key != null) {
        String previous = keyByStructKey.putIfAbsent(key.structKey(), keyString);
        if (previous != null && previous.equals(keyString)) {
          ctx.error(Diagnostic.DUPLICATE_FIELD, field, field.value("key"), keyString, ctx.name());
        } else if (previous != null) {
          ctx.error(
              Diagnostic.FIELD_KEY_COLLISION,
              field,
              field.value("key"),
              previous,
              keyString,
              ctx.name(),
              key.structKey());
        }
      }
      boolean validCodeVersion = checkCodeVersion(ctx, field, keyString);
      List<Declaration.OnDecl> ons = new ArrayList<>();
      for (Ann on : field.annotations("dependsOn", ctx.elements())) {
        UpstreamTarget target = UpstreamTarget.read(ctx, on, "feature");
        if (target instanceof UpstreamTarget.Unresolved u) {
          unresolved.add(u.type());
        }
        if (target instanceof UpstreamTarget.Upstream upstream) {
          blocked |= upstream.blocked();
          Declaration.OnDecl decl = on(ctx, on, upstream, keyString, deps);
          if (decl != null) {
            ons.add(decl);
          }
        }
      }
      boolean all = field.bool("dependsOnAll");
      if (all && !field.list("dependsOn").isEmpty()) {
        ctx.error(Diagnostic.CONFLICTING_FIELD_DEPS, field, field.value("dependsOnAll"), keyString);
      }
      decls.add(new Declaration.FieldDecl(field, key, List.copyOf(ons)));
      if (key != null && validCodeVersion) {
        List<FeatureModels.On> dependsOn =
            ons.stream().map(o -> new FeatureModels.On(o.feature(), o.fields())).toList();
        fields.add(new FeatureModels.Field(key, field.string("codeVersion"), all, dependsOn));
      }
    }
    return new Fields(List.copyOf(decls), List.copyOf(fields), unresolved, blocked);
  }

  /**
   * One {@code @On} of a field, or {@code null} when its upstream is blocked or it names an invalid
   * field key (reported).
   */
  private static Declaration.@Nullable OnDecl on(
      FeatureContext ctx,
      Ann on,
      UpstreamTarget.Upstream upstream,
      String field,
      List<Declaration.DepDecl> deps) {
    if (upstream.key() != null
        && deps.stream().noneMatch(d -> upstream.key().equals(d.upstream()))) {
      if (upstream.type() != null) {
        ctx.error(
            Diagnostic.ON_NOT_A_DEP,
            on,
            on.explicitValue("feature"),
            field,
            upstream.key(),
            ctx.name(),
            upstream.type().getSimpleName());
      } else {
        ctx.error(
            Diagnostic.ON_KEY_NOT_A_DEP,
            on,
            on.explicitValue("key"),
            field,
            upstream.key(),
            ctx.name(),
            upstream.key());
      }
    }
    List<FieldKey> keys = new ArrayList<>();
    boolean valid = true;
    for (AnnotationValue v : on.list("fields")) {
      FieldKey k = Keys.fieldKey(ctx, on, v);
      valid &= k != null;
      keys.add(k);
    }
    if (!valid || upstream.key() == null) {
      return null;
    }
    return new Declaration.OnDecl(on, upstream.key(), keys.isEmpty() ? null : keys);
  }

  /**
   * Checks a field's code version; returns whether it is valid. Code versions are joined with
   * {@code |} in the sample provenance strings, so a {@code |} (or invisible characters and padding,
   * which make two versions look equal) could make different inputs hash alike or confuse readers.
   */
  private static boolean checkCodeVersion(FeatureContext ctx, Ann field, String fieldKey) {
    String version = field.string("codeVersion");
    String shown = CanonicalJson.write(version);
    AnnotationValue at = field.value("codeVersion");
    Diagnostic problem = version.isEmpty()
        ? Diagnostic.EMPTY_CODE_VERSION
        : version.isBlank()
            ? Diagnostic.BLANK_CODE_VERSION
            : !version.strip().equals(version) ? Diagnostic.PADDED_CODE_VERSION : null;
    if (problem != null) {
      ctx.error(problem, field, at, shown, fieldKey);
      return false;
    }
    for (int i = 0; i < version.length(); i++) {
      char c = version.charAt(i);
      if (Character.isISOControl(c)) {
        ctx.error(Diagnostic.CODE_VERSION_CONTROL_CHARACTER, field, at, shown, fieldKey, (int) c);
        return false;
      }
      if (c == '|') {
        ctx.error(Diagnostic.CODE_VERSION_SEPARATOR, field, at, shown, fieldKey);
        return false;
      }
    }
    return true;
  }
}
