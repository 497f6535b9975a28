package io.metaxy.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.filter.FilterExpr.And;
import io.metaxy.filter.FilterExpr.Column;
import io.metaxy.filter.FilterExpr.Compare;
import io.metaxy.filter.FilterExpr.In;
import io.metaxy.filter.FilterExpr.IsNull;
import io.metaxy.filter.FilterExpr.Literal;
import io.metaxy.filter.FilterExpr.Not;
import io.metaxy.filter.FilterExpr.Op;
import io.metaxy.filter.FilterExpr.Or;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing filter strings into trees, printing them back, and rejecting bad input with a position. */
class FilterParserTest {
  private static Column col(String name) {
    return new Column(name);
  }

  private static Literal lit(Object v) {
    return Literal.of(v);
  }

  private static Compare cmp(Op op, FilterExpr.Operand l, FilterExpr.Operand r) {
    return new Compare(op, l, r);
  }

  @Test
  void andBindsTighterThanOr() {
    FilterExpr a = cmp(Op.EQ, col("a"), lit(1));
    FilterExpr b = cmp(Op.EQ, col("b"), lit(2));
    FilterExpr c = cmp(Op.EQ, col("c"), lit(3));
    assertEquals(
        new Or(List.of(a, new And(List.of(b, c)))), Filters.parse("a = 1 OR b = 2 AND c = 3"));
    assertEquals(
        new Or(List.of(new And(List.of(a, b)), c)), Filters.parse("a = 1 AND b = 2 OR c = 3"));
    assertEquals(
        new And(List.of(new Or(List.of(a, b)), c)), Filters.parse("(a = 1 OR b = 2) AND c = 3"));
  }

  @Test
  void notBindsLooserThanComparisonAndTighterThanAnd() {
    FilterExpr a = cmp(Op.EQ, col("a"), lit(1));
    FilterExpr b = cmp(Op.EQ, col("b"), lit(2));
    assertEquals(new Not(a), Filters.parse("NOT a = 1"));
    assertEquals(new And(List.of(new Not(a), b)), Filters.parse("NOT a = 1 AND b = 2"));
    assertEquals(new Not(new Not(col("flag"))), Filters.parse("not NOT flag"));
    assertEquals(new Not(new And(List.of(a, b))), Filters.parse("NOT (a = 1 AND b = 2)"));
  }

  @Test
  void chainsFlattenAndKeywordsAreCaseInsensitive() {
    FilterExpr e = Filters.parse("a and b AnD c or d");
    assertEquals(new Or(List.of(new And(List.of(col("a"), col("b"), col("c"))), col("d"))), e);
    assertEquals(new And(List.of(col("a"), col("b"), col("c"))), Filters.parse("(a AND b) AND c"));
  }

  @Test
  void literals() {
    assertEquals(cmp(Op.EQ, col("s"), lit("it's")), Filters.parse("s = 'it''s'"));
    assertEquals(cmp(Op.EQ, col("s"), lit("a\\b")), Filters.parse("s = 'a\\b'"));
    assertEquals(cmp(Op.EQ, col("s"), lit("")), Filters.parse("s = ''"));
    assertEquals(cmp(Op.GT, col("n"), lit(42L)), Filters.parse("n > 42"));
    assertEquals(cmp(Op.GT, col("n"), lit(-42L)), Filters.parse("n > -42"));
    assertEquals(cmp(Op.GT, col("n"), lit(-42L)), Filters.parse("n > - 42"));
    assertEquals(cmp(Op.GT, col("n"), lit(2.5)), Filters.parse("n > 2.5"));
    assertEquals(cmp(Op.GT, col("n"), lit(0.5)), Filters.parse("n > .5"));
    assertEquals(cmp(Op.GT, col("n"), lit(3.0)), Filters.parse("n > 3."));
    assertEquals(cmp(Op.GT, col("n"), lit(1e-3)), Filters.parse("n > 1E-3"));
    assertEquals(cmp(Op.GT, col("n"), lit(1e10)), Filters.parse("n > 1e10"));
    assertEquals(
        cmp(Op.LT, col("n"), lit(Long.MIN_VALUE)), Filters.parse("n < -9223372036854775808"));
    assertEquals(
        cmp(Op.LT, col("n"), lit(Long.MIN_VALUE)), Filters.parse("n < -0009223372036854775808"));
    assertEquals(cmp(Op.EQ, col("n"), lit(0L)), Filters.parse("n = 0000"));
    assertEquals(
        cmp(Op.LT, col("n"), lit(Long.MAX_VALUE)), Filters.parse("n < 9223372036854775807"));
    assertEquals(cmp(Op.EQ, col("b"), Literal.TRUE), Filters.parse("b = true"));
    assertEquals(cmp(Op.EQ, col("b"), Literal.FALSE), Filters.parse("b = False"));
    assertEquals(
        cmp(Op.EQ, col("d"), lit(LocalDate.of(2024, 1, 5))),
        Filters.parse("d = DATE '2024-01-05'"));
    assertEquals(
        cmp(Op.GE, col("t"), lit(Instant.parse("2024-01-05T08:00:00Z"))),
        Filters.parse("t >= TIMESTAMP '2024-01-05T10:00:00+02:00'"));
    assertEquals(
        cmp(Op.GE, col("t"), lit(Instant.parse("2024-01-05T10:00:00Z"))),
        Filters.parse("t >= timestamp '2024-01-05 10:00:00'"));
  }

  @Test
  void identifiers() {
    assertEquals(cmp(Op.EQ, col("my col"), lit(1)), Filters.parse("\"my col\" = 1"));
    assertEquals(cmp(Op.EQ, col("say \"hi\""), lit(1)), Filters.parse("\"say \"\"hi\"\"\" = 1"));
    assertEquals(cmp(Op.EQ, col("AND"), lit(1)), Filters.parse("\"AND\" = 1"));
    assertEquals(cmp(Op.EQ, col("a.b.c"), lit(1)), Filters.parse("a . b.c = 1"));
    assertEquals(cmp(Op.EQ, col("date"), lit(1)), Filters.parse("date = 1"));
    assertEquals(cmp(Op.EQ, col("größe"), lit(1)), Filters.parse("größe = 1"));
    assertEquals(cmp(Op.EQ, col("_x1"), col("y")), Filters.parse("_x1 = y"));
  }

  @Test
  void nullComparisons() {
    assertEquals(new IsNull(col("a")), Filters.parse("a = NULL"));
    assertEquals(new IsNull(col("a")), Filters.parse("NULL IS a"));
    assertEquals(new Not(new IsNull(col("a"))), Filters.parse("a <> null"));
    assertEquals(new Not(new IsNull(col("a"))), Filters.parse("a IS NOT NULL"));
    assertEquals(new Not(new IsNull(col("a"))), Filters.parse("NOT a IS NULL"));
    // Ordering against NULL, and NULL against a non-column, stay comparisons (always unknown).
    assertEquals(cmp(Op.LT, col("a"), Literal.NULL), Filters.parse("a < NULL"));
    assertEquals(cmp(Op.EQ, Literal.NULL, lit(5)), Filters.parse("NULL = 5"));
    assertEquals(cmp(Op.EQ, Literal.NULL, Literal.NULL), Filters.parse("NULL = NULL"));
    assertEquals(new IsNull(Literal.NULL), Filters.parse("NULL IS NULL"));
    // IS with a non-null right side is null-safe equality.
    assertEquals(cmp(Op.IS, col("flag"), Literal.TRUE), Filters.parse("flag IS TRUE"));
    assertEquals(cmp(Op.IS_NOT, col("a"), col("b")), Filters.parse("a IS NOT b"));
  }

  @Test
  void inLists() {
    assertEquals(
        new In(col("a"), List.of(lit(1), lit(-2), lit(2.5), lit("x"), Literal.NULL), false),
        Filters.parse("a IN (1, -2, 2.5, 'x', NULL)"));
    assertEquals(new In(col("a"), List.of(lit("x")), true), Filters.parse("a NOT IN ('x')"));
    assertEquals(
        new Not(new In(col("a"), List.of(lit("x")), false)), Filters.parse("NOT a IN ('x')"));
  }

  @Test
  void parenthesisedOperands() {
    assertEquals(cmp(Op.EQ, col("a"), lit(1)), Filters.parse("(a) = 1"));
    assertEquals(cmp(Op.EQ, col("a"), lit(1)), Filters.parse("((a)) = (1)"));
    assertEquals(new In(col("a"), List.of(lit(1)), false), Filters.parse("(a) IN ((1))"));
    assertEquals(col("flag"), Filters.parse("((flag))"));
    assertEquals(Literal.TRUE, Filters.parse("TRUE"));
    assertEquals(Filters.parse("1 = 1"), cmp(Op.EQ, lit(1), lit(1)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "(age > 25 OR age < 18) AND status != 'deleted'",
        "deleted_at IS NOT NULL",
        "status NOT IN ('deleted')",
        "NOT is_active",
        "metadata.owner = 'alice'",
        "\"weird \"\" name\" = 'it''s'",
        "\"or\" = 1 OR \"x.\" = 2 OR \"1a\" = 3",
        "NOT (a OR b) AND NOT NOT c",
        "NOT (a AND b)",
        "(a OR b) AND (c OR d AND e)",
        "a IS TRUE AND b IS NOT FALSE AND c IS NOT d",
        "n > -1.5E-7 AND n < 1.0E300 AND m = -0.0 AND k = -9223372036854775808",
        "t > TIMESTAMP '2024-01-05T10:00:00.123456789Z' AND d = DATE '2024-02-29'",
        "NULL = 5 OR a < NULL OR NULL IS NULL OR TRUE OR NOT FALSE OR NULL",
        "x IN (1, NULL, 'a', 2.5, TRUE) OR NOT x NOT IN (DATE '2024-01-01')",
        "t < TIMESTAMP '+999999999-12-31T23:59:59.999999999+18:00' AND t > TIMESTAMP '-999999999-01-01T00:00:00Z'"
            + " AND d > DATE '-999999999-01-01' AND d < DATE '+999999999-12-31'"
      })
  void toStringRoundTrips(String filter) {
    FilterExpr e = Filters.parse(filter);
    String printed = e.toString();
    assertEquals(e, Filters.parse(printed), printed);
    assertEquals(printed, Filters.parse(printed).toString(), "printing is stable");
  }

  @Test
  void printsCanonicalText() {
    assertEquals(
        "(age > 25 OR age < 18) AND status != 'deleted'",
        Filters.parse("( age>25 or age<18 ) and status <> 'deleted'").toString());
    assertEquals("a IS NOT NULL", Filters.parse("a != NULL").toString());
    assertEquals("NOT (a = 1 AND b = 2)", Filters.parse("not (a=1 and b=2)").toString());
    assertEquals("\"select\" = 1", Filters.parse("\"select\" = 1").toString());
    assertEquals("x NOT IN (1, 2)", Filters.parse("x not in (1,2)").toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      value = {
        "a = = 1 ~ 5 ~ expected a value",
        "a = ~ 4 ~ expected a value (at end of filter)",
        "(a = 1 ~ 7 ~ expected ')' to close the '(' at position 1 (at end of filter)",
        "a = 1) ~ 6 ~ unbalanced ')'",
        "a = 1 b = 2 ~ 7 ~ expected AND, OR or end of filter",
        "a = 'abc ~ 5 ~ unterminated string literal",
        "\"abc = 1 ~ 1 ~ unterminated quoted identifier",
        "a = 1 # 2 ~ 7 ~ unexpected character '#'",
        "a ! 1 ~ 3 ~ unexpected character '!'; did you mean '!='?",
        "age BETWEEN 20 AND 30 ~ 5 ~ unsupported expression: BETWEEN is not supported",
        "name LIKE 'a%' ~ 6 ~ unsupported expression: LIKE is not supported",
        "name NOT LIKE 'a%' ~ 10 ~ unsupported expression: NOT LIKE is not supported",
        "lower(name) = 'a' ~ 1 ~ unsupported expression: function call lower(...) is not supported",
        "CASE WHEN a THEN b END ~ 1 ~ unsupported expression: CASE is not supported",
        "a + 1 > 2 ~ 3 ~ unsupported operand: arithmetic operator '+' is not supported",
        "a > 1 - 2 ~ 7 ~ unsupported operand: arithmetic operator '-' is not supported",
        "a = b || 'x' ~ 7 ~ unsupported operand: arithmetic operator '||' is not supported",
        "a = -b ~ 5 ~ unary minus only supported for numeric literals",
        "a = -'1' ~ 5 ~ unary minus only supported for numeric literals",
        "5 IN (1, 2) ~ 1 ~ IN operator left-hand side must be a column",
        "x IN (y, 2) ~ 7 ~ IN operator values must be literals",
        "x IN () ~ 7 ~ expected a value",
        "x IN (1 2) ~ 9 ~ expected ',' or ')' in the IN list",
        "x IN 1 ~ 6 ~ expected '(' after IN",
        "a = 1 AND ~ 10 ~ expected a value (at end of filter)",
        "AND a ~ 1 ~ expected a value but found keyword AND",
        "5 ~ 1 ~ expected a condition but found the literal 5",
        "a = 1 AND 'x' ~ 11 ~ expected a condition but found the literal 'x'",
        "NOT 2.5 ~ 5 ~ expected a condition but found the literal 2.5",
        "(5) ~ 1 ~ expected a condition but found the literal 5",
        "a = 99999999999999999999 ~ 5 ~ integer literal 99999999999999999999 is out of range",
        "a = 1e999 ~ 5 ~ numeric literal 1e999 is out of range",
        "a = 12abc ~ 5 ~ invalid number '12a'",
        "a = 1e+ ~ 6 ~ invalid number: exponent without digits",
        "a = DATE '2024-13-01' ~ 10 ~ invalid DATE literal '2024-13-01': expected yyyy-mm-dd",
        "t > TIMESTAMP 'soon' ~ 15 ~ invalid TIMESTAMP literal 'soon': expected an ISO-8601 timestamp such as 2024-01-05T00:00:00Z",
        "t > TIMESTAMP '+999999999-12-31T23:59:59-18:00' ~ 15 ~ TIMESTAMP literal '+999999999-12-31T23:59:59-18:00' is out"
            + " of range: in UTC it must fall between -999999999-01-01T00:00:00Z and +999999999-12-31T23:59:59.999999999Z",
        "n = -000000000000000000009223372036854775809 ~ 6 ~ integer literal -000000000000000000009223372036854775809 is"
            + " out of range",
        "a. = 1 ~ 4 ~ expected a column name after '.'",
        "\"\" = 1 ~ 1 ~ empty quoted identifier",
        "a = 1 = 2 ~ 7 ~ expected AND, OR or end of filter",
        "s = '😀' = = 1 ~ 9 ~ expected AND, OR or end of filter",
        "'😀' = = 1 ~ 7 ~ expected a value",
        "a = ٣ ~ 5 ~ unexpected character '٣'"
      })
  void syntaxErrorsNamePositionAndExpectation(String filter, int position, String detail) {
    FilterSyntaxException e =
        assertThrows(FilterSyntaxException.class, () -> Filters.parse(filter));
    assertEquals(position, e.position(), e.getMessage());
    assertEquals(detail, e.detail());
    assertEquals(filter, e.input());
    assertEquals(
        "invalid filter \"" + filter + "\" at position " + position + ": " + detail,
        e.getMessage());
  }

  @Test
  void longInputParsesInLinearTime() {
    // Each ')' used to count the code points before its '(' for a message it did not need, which is
    // quadratic outside Latin-1; a long integer went through BigInteger, also quadratic. Both took
    // seconds here; now milliseconds.
    String parens = "(name = 'Жанна') AND ".repeat(30_000) + "flag";
    long started = System.nanoTime();
    Filters.parse(parens);
    long ms = (System.nanoTime() - started) / 1_000_000;
    assertTrue(ms < 2_000, "parentheses: " + parens.length() + " chars took " + ms + " ms");
    String digits = "n = " + "7".repeat(200_000);
    started = System.nanoTime();
    FilterSyntaxException e =
        assertThrows(FilterSyntaxException.class, () -> Filters.parse(digits));
    ms = (System.nanoTime() - started) / 1_000_000;
    assertTrue(e.detail().endsWith(" is out of range"), e.detail());
    assertTrue(ms < 2_000, "a 200,000-digit integer took " + ms + " ms");
  }

  @Test
  void briefExampleMessage() {
    FilterSyntaxException e =
        assertThrows(FilterSyntaxException.class, () -> Filters.parse("a = = 1"));
    assertEquals("invalid filter \"a = = 1\" at position 5: expected a value", e.getMessage());
  }

  @Test
  void emptyInputs() {
    for (String blank : List.of("", " ", "\t\n")) {
      FilterSyntaxException e =
          assertThrows(FilterSyntaxException.class, () -> Filters.parse(blank));
      assertEquals(1, e.position());
      assertEquals("filter string cannot be empty", e.detail());
    }
  }

  @Test
  void columnsAreSortedAndDistinct() {
    FilterExpr e = Filters.parse(
        "z > 1 AND (a IN (1) OR NOT m IS NULL) AND b = c AND \"a.b\" = 'z' AND z < 9");
    assertEquals(List.of("a", "a.b", "b", "c", "m", "z"), List.copyOf(Filters.columns(e)));
    assertTrue(Filters.columns(Filters.parse("TRUE")).isEmpty());
    assertThrows(UnsupportedOperationException.class, () -> Filters.columns(e).add("x"));
  }

  @Test
  void andHelper() {
    FilterExpr a = Filters.parse("a = 1");
    FilterExpr b = Filters.parse("b = 2 OR c = 3");
    FilterExpr c = Filters.parse("d AND e");
    assertEquals(Literal.TRUE, Filters.and(List.of()));
    assertEquals(a, Filters.and(List.of(a)));
    assertEquals(
        Filters.parse("a = 1 AND (b = 2 OR c = 3) AND d AND e"), Filters.and(List.of(a, b, c)));
    assertEquals("a = 1 AND (b = 2 OR c = 3) AND d AND e", Filters.and(a, b, c).toString());
    assertEquals(Filters.and(a, b), Filters.parseAll(List.of("a = 1", "b = 2 OR c = 3")));
    assertEquals(Literal.FALSE, Filters.or(List.of()));
  }

  @Test
  void builders() {
    assertEquals(Filters.parse("a = 5"), Filters.eq("a", 5));
    assertEquals(Filters.parse("a IS NULL"), Filters.eq("a", null));
    assertEquals(Filters.parse("a IS NOT NULL"), Filters.compare("a", Op.NE, null));
    assertEquals(Filters.parse("a IS NOT NULL"), Filters.isNotNull("a"));
    assertEquals(Filters.parse("a IS NULL"), Filters.isNull("a"));
    assertEquals(Filters.parse("a >= 2.5"), Filters.compare("a", Op.GE, 2.5f));
    assertEquals(Filters.parse("a IN ('x', NULL)"), Filters.in("a", Arrays.asList("x", null)));
    assertEquals(Filters.parse("a NOT IN (1, 2)"), Filters.notIn("a", List.of(1, 2)));
    assertEquals(
        Filters.parse("t = TIMESTAMP '2024-01-01T00:00:00Z'"),
        Filters.eq("t", OffsetDateTime.parse("2024-01-01T02:00:00+02:00")));
    assertEquals(Filters.parse("NOT flag"), Filters.not(Filters.column("flag")));
  }

  @Test
  void invalidTreesAreRejectedOnConstruction() {
    assertThrows(IllegalArgumentException.class, () -> cmp(Op.EQ, col("a"), Literal.NULL));
    assertThrows(IllegalArgumentException.class, () -> cmp(Op.IS, lit(1), Literal.NULL));
    assertThrows(IllegalArgumentException.class, () -> new Literal(1));
    assertThrows(IllegalArgumentException.class, () -> new Literal(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new Column(""));
    assertThrows(IllegalArgumentException.class, () -> new And(List.of(col("a"))));
    assertThrows(IllegalArgumentException.class, () -> new In(col("a"), List.of(), false));
    assertThrows(IllegalArgumentException.class, () -> new Not(lit(5)));
    assertThrows(IllegalArgumentException.class, () -> Filters.and(lit("x"), col("a")));
    assertThrows(NullPointerException.class, () -> Filters.parse(null));
  }
}
