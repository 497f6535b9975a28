package io.metaxy.filter;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads the text of {@code TIMESTAMP '…'} literals; text without a zone or offset is taken as UTC. */
final class Temporals {
  /** The first instant whose UTC date-time {@link java.time.OffsetDateTime} can hold. */
  static final Instant MIN = LocalDateTime.MIN.toInstant(ZoneOffset.UTC);

  /** The last instant whose UTC date-time {@link java.time.OffsetDateTime} can hold. */
  static final Instant MAX = LocalDateTime.MAX.toInstant(ZoneOffset.UTC);

  private Temporals() {}

  /**
   * Whether an instant's UTC date-time is within years -999999999..999999999. An offset can carry a
   * written date-time past that ({@code +999999999-12-31T23:59:59-18:00}); such an instant prints as a
   * year {@code OffsetDateTime} cannot read back, and the jOOQ translation cannot bind it.
   */
  static boolean inRange(Instant instant) {
    return !instant.isBefore(MIN) && !instant.isAfter(MAX);
  }

  /**
   * Parses {@code 2024-01-05T10:00:00Z}, {@code 2024-01-05T10:00:00+02:00}, {@code 2024-01-05 10:00:00}
   * (UTC) or {@code 2024-01-05} (midnight UTC); a space may replace the {@code T}.
   */
  static Optional<Instant> parseInstant(String text) {
    String s = text.strip();
    if (s.length() > 10 && s.charAt(10) == ' ') {
      s = s.substring(0, 10) + 'T' + s.substring(11);
    }
    try {
      return Optional.of(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeParseException ignored) {
      // Not an offset date-time; try the zone-less forms below.
    }
    try {
      return Optional.of(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException ignored) {
      // Not a local date-time either.
    }
    try {
      return Optional.of(LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant());
    } catch (DateTimeParseException ignored) {
      return Optional.empty();
    }
  }
}
