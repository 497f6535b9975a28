package io.metaxy.store.delta;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference's {@code storage_options} for an {@code s3://} root, read with delta-rs' (object_store's)
 * key names, case-insensitive, with or without the {@code AWS_} prefix: endpoint, region, credentials,
 * {@code AWS_ALLOW_HTTP}, {@code AWS_VIRTUAL_HOSTED_STYLE_REQUEST} (path-style requests unless true, as
 * object_store), {@code AWS_S3_ALLOW_UNSAFE_RENAME} and {@code AWS_PROFILE}. Keys left out come from the
 * AWS environment and default chain. {@link #toString()} never shows a secret.
 *
 * @param endpoint the endpoint URL, or null for AWS's own
 * @param region the region, or null for the default chain (then {@code us-east-1})
 * @param accessKeyId a static access key, or null for the default credential chain
 * @param secretAccessKey its secret
 * @param sessionToken a session token for temporary credentials, or null
 * @param profile a profile of the AWS config files, or null
 * @param virtualHostedStyle bucket in the host name instead of the path
 * @param unsafeCommits commits written with a plain PUT after a HEAD, for servers without conditional
 *     writes: safe for one writer only
 */
record S3Options(
    @Nullable String endpoint,
    @Nullable String region,
    @Nullable String accessKeyId,
    @Nullable String secretAccessKey,
    @Nullable String sessionToken,
    @Nullable String profile,
    boolean virtualHostedStyle,
    boolean unsafeCommits) {
  private static final Logger LOG = LoggerFactory.getLogger(S3Options.class);

  /** object_store's aliases, each mapped to the one name used here. */
  private static final Map<String, String> ALIASES = Map.ofEntries(
      Map.entry("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL"),
      Map.entry("AWS_ENDPOINT", "AWS_ENDPOINT_URL"),
      Map.entry("ENDPOINT", "AWS_ENDPOINT_URL"),
      Map.entry("ENDPOINT_URL", "AWS_ENDPOINT_URL"),
      Map.entry("AWS_REGION", "AWS_REGION"),
      Map.entry("AWS_DEFAULT_REGION", "AWS_REGION"),
      Map.entry("REGION", "AWS_REGION"),
      Map.entry("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
      Map.entry("ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
      Map.entry("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
      Map.entry("SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
      Map.entry("AWS_SESSION_TOKEN", "AWS_SESSION_TOKEN"),
      Map.entry("AWS_TOKEN", "AWS_SESSION_TOKEN"),
      Map.entry("SESSION_TOKEN", "AWS_SESSION_TOKEN"),
      Map.entry("TOKEN", "AWS_SESSION_TOKEN"),
      Map.entry("AWS_PROFILE", "AWS_PROFILE"),
      Map.entry("PROFILE", "AWS_PROFILE"),
      Map.entry("AWS_ALLOW_HTTP", "AWS_ALLOW_HTTP"),
      Map.entry("ALLOW_HTTP", "AWS_ALLOW_HTTP"),
      Map.entry("AWS_VIRTUAL_HOSTED_STYLE_REQUEST", "AWS_VIRTUAL_HOSTED_STYLE_REQUEST"),
      Map.entry("VIRTUAL_HOSTED_STYLE_REQUEST", "AWS_VIRTUAL_HOSTED_STYLE_REQUEST"),
      Map.entry("AWS_S3_ALLOW_UNSAFE_RENAME", "AWS_S3_ALLOW_UNSAFE_RENAME"),
      Map.entry("AWS_S3_LOCKING_PROVIDER", "AWS_S3_LOCKING_PROVIDER"),
      Map.entry("AWS_CONDITIONAL_PUT", "AWS_CONDITIONAL_PUT"),
      Map.entry("CONDITIONAL_PUT", "AWS_CONDITIONAL_PUT"));

  /** Keys that hold a secret: never logged, never in a message. */
  private static final Set<String> SECRETS = Set.of("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");

  /**
   * Reads the options.
   *
   * @throws IllegalArgumentException naming the key at fault (never its value when it is a secret)
   */
  static S3Options parse(Map<String, String> options) {
    Map<String, String> o = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : options.entrySet()) {
      String key = e.getKey().toUpperCase(Locale.ROOT);
      String name = ALIASES.get(key);
      if (name == null) {
        name = ALIASES.get("AWS_" + key);
      }
      if (name == null) {
        // delta-rs takes many more (timeouts, proxies, DynamoDB names); none changes what is
        // stored.
        LOG.warn("Delta store: storage option {} is not used by the Java Delta store", e.getKey());
        continue;
      }
      o.put(name, e.getValue());
    }
    String locking = o.get("AWS_S3_LOCKING_PROVIDER");
    if (locking != null && !locking.isBlank()) {
      throw new IllegalArgumentException("AWS_S3_LOCKING_PROVIDER = \"" + locking
          + "\" is not supported: the Java Delta store commits with S3 conditional writes"
          + " (If-None-Match), which need no lock table; remove the option");
    }
    String conditional = o.get("AWS_CONDITIONAL_PUT");
    if (conditional != null && !conditional.equalsIgnoreCase("etag")) {
      throw new IllegalArgumentException("AWS_CONDITIONAL_PUT must be \"etag\" (conditional writes,"
          + " always used here) or left out, got \"" + conditional + "\"");
    }
    boolean allowHttp = flag(o, "AWS_ALLOW_HTTP");
    String endpoint = blankToNull(o.get("AWS_ENDPOINT_URL"));
    if (endpoint != null) {
      URI uri;
      try {
        uri = URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "AWS_ENDPOINT_URL is not a URL: \"" + endpoint + "\"", e);
      }
      String scheme = Optional.ofNullable(uri.getScheme()).orElse("");
      if (scheme.equals("http") && !allowHttp) {
        throw new IllegalArgumentException("AWS_ENDPOINT_URL " + endpoint
            + " is plain HTTP; set AWS_ALLOW_HTTP = \"true\" to allow it (as delta-rs requires)");
      }
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException(
            "AWS_ENDPOINT_URL must be an http:// or https:// URL, got \"" + endpoint + "\"");
      }
    }
    String key = blankToNull(o.get("AWS_ACCESS_KEY_ID"));
    String secret = blankToNull(o.get("AWS_SECRET_ACCESS_KEY"));
    if ((key == null) != (secret == null)) {
      throw new IllegalArgumentException(
          "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be given together (or both left to"
              + " the AWS environment)");
    }
    return new S3Options(
        endpoint,
        blankToNull(o.get("AWS_REGION")),
        key,
        secret,
        blankToNull(o.get("AWS_SESSION_TOKEN")),
        blankToNull(o.get("AWS_PROFILE")),
        flag(o, "AWS_VIRTUAL_HOSTED_STYLE_REQUEST"),
        flag(o, "AWS_S3_ALLOW_UNSAFE_RENAME"));
  }

  private static boolean flag(Map<String, String> o, String key) {
    String v = o.get(key);
    if (v == null) {
      return false;
    }
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off", "" -> false;
      default ->
        throw new IllegalArgumentException(
            key + " must be \"true\" or \"false\", got \"" + v + "\"");
    };
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** Whether a storage option key names a secret (under any of its spellings). */
  static boolean isSecret(String key) {
    String k = key.toUpperCase(Locale.ROOT);
    String name = ALIASES.getOrDefault(k, ALIASES.get("AWS_" + k));
    return name != null && SECRETS.contains(name);
  }

  @Override
  public String toString() {
    return "S3Options[endpoint=" + endpoint + ", region=" + region + ", accessKeyId="
        + (accessKeyId == null ? "(default chain)" : accessKeyId) + ", secretAccessKey="
        + (secretAccessKey == null ? "(default chain)" : "****") + ", profile=" + profile
        + ", virtualHostedStyle=" + virtualHostedStyle + ", unsafeCommits=" + unsafeCommits + "]";
  }
}
