package io.metaxy.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.metaxy.MetaxyException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses JSON text into plain trees ({@code LinkedHashMap}, {@code ArrayList}, {@code String},
 * {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double}, {@code Boolean}, {@code null}), the
 * shape {@link CanonicalJson} writes.
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private Json() {}

  /** Parses JSON text ({@code null} for the text {@code null}); the message of the error names {@code source}. */
  public static @Nullable Object parse(String text, String source) {
    try {
      return MAPPER.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new MetaxyException("invalid JSON in " + source + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Parses a JSON stream ({@code null} for {@code null}); the message of the error names {@code source}. */
  public static @Nullable Object parse(InputStream in, String source) {
    try {
      return MAPPER.readValue(in, Object.class);
    } catch (IOException e) {
      throw new MetaxyException("cannot read JSON from " + source + ": " + e.getMessage(), e);
    }
  }

  /** Parses text that must be a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text, String source) {
    Object tree = parse(text, source);
    if (!(tree instanceof Map)) {
      throw new MetaxyException("expected a JSON object in " + source);
    }
    return (Map<String, Object>) tree;
  }

  /** The shared mapper, configured as above. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
