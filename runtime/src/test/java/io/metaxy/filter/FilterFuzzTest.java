package io.metaxy.filter;

import static org.junit.jupiter.api.Assertions.fail;

import io.metaxy.filter.FilterExpr.And;
import io.metaxy.filter.FilterExpr.Column;
import io.metaxy.filter.FilterExpr.Compare;
import io.metaxy.filter.FilterExpr.In;
import io.metaxy.filter.FilterExpr.IsNull;
import io.metaxy.filter.FilterExpr.Literal;
import io.metaxy.filter.FilterExpr.Not;
import io.metaxy.filter.FilterExpr.Op;
import io.metaxy.filter.FilterExpr.Operand;
import io.metaxy.filter.FilterExpr.Or;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link Filters#parse}: filters generated from the grammar (with the tree they must parse to),
 * mutations of them (truncation, token deletion, duplication, swaps and replacements, random characters
 * inserted), and random strings. Every input must parse or fail with a {@link FilterSyntaxException}
 * (nothing else, not even an {@link Error}), within {@value #PARSE_BUDGET_MS} ms; every parsed filter
 * must print as text that parses back to an equal tree.
 *
 * <p>The seed is random per run and printed; replay a run with {@code -Dmetaxy.fuzz.seed=S} (and the
 * same {@code -Dmetaxy.fuzz.count}), or run longer with {@code -Dmetaxy.fuzz.count=N} (default
 * {@value #DEFAULT_COUNT} inputs).
 */
class FilterFuzzTest {
  private static final int DEFAULT_COUNT = 100_000;
  private static final long PARSE_BUDGET_MS = 100;
  private static final int MAX_REPORTED = 15;

  @Test
  void everyInputParsesOrFailsCleanlyAndParsedFiltersRoundTrip() {
    long seed = Long.getLong("metaxy.fuzz.seed", new SplittableRandom().nextLong());
    int count = Integer.getInteger("metaxy.fuzz.count", DEFAULT_COUNT);
    // Class loading and the first JIT passes would otherwise count against the first inputs'
    // budget.
    Fuzz warmUp = new Fuzz(new SplittableRandom(~seed));
    for (int i = 0; i < 2_000; i++) {
      Fuzz.parse(warmUp.generated().text());
    }
    Fuzz fuzz = new Fuzz(new SplittableRandom(seed));

    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStarted = threads.getCurrentThreadCpuTime();
    long started = System.nanoTime();
    int generated = count * 2 / 5;
    int mutated = count * 2 / 5;
    int random = count - generated - mutated;
    for (int i = 0; i < generated; i++) {
      Piece p = fuzz.generated();
      fuzz.check(p.text(), p.valid() ? p.tree() : null, !p.valid());
    }
    for (int i = 0; i < mutated; i++) {
      fuzz.check(fuzz.mutated(), null, false);
    }
    for (int i = 0; i < random; i++) {
      fuzz.check(fuzz.randomString(), null, false);
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    long cpuMs = TimeUnit.NANOSECONDS.toMillis(threads.getCurrentThreadCpuTime() - cpuStarted);

    System.out.println("filter fuzz: " + generated + " generated (" + fuzz.validAccepted
        + " valid ones parsed), " + mutated
        + " mutated, " + random + " random; " + fuzz.accepted
        + " inputs accepted in all, slowest parse "
        + TimeUnit.NANOSECONDS.toMicros(fuzz.slowest) + " us; " + ms + " ms (" + cpuMs
        + " ms CPU)");
    System.out.println("reliability filter-fuzz: " + fuzz.checks + " inputs, " + fuzz.failures
        + " failures (seed " + seed + ")");
    if (fuzz.failures > 0) {
      fail(fuzz.failures + " of " + fuzz.checks + " fuzz inputs failed (seed " + seed
          + "; replay with -Dmetaxy.fuzz.seed=" + seed + " -Dmetaxy.fuzz.count=" + count + "):\n"
          + String.join("\n", fuzz.reports));
    }
  }

  /** Generated filter text as tokens, the tree it must parse to, and its nesting depth. */
  record Piece(List<String> tokens, FilterExpr tree, boolean valid, int depth) {
    String text() {
      return String.join("", tokens);
    }
  }

  /** The generators and the checks, sharing one seeded random source so a seed replays the whole run. */
  static final class Fuzz {
    private static final String[] WHITESPACE = {
      " ", " ", " ", "  ", "\t", "\n", "\r\n", "\u2003", "\u3000"
    };
    private static final String[] NAME_CHARS = {
      "a", "b", "x", "y", "z", "A", "Q", "_", "é", "ß", "ı", "İ", "ſ", "\u212A", "ﬆ", "名", "Ж", "ǅ"
    };
    private static final String[] TAIL_CHARS = {"1", "9", "0", "٣", "_", "e", "E"};
    private static final String[] WORDS = {
      "andy",
      "orange",
      "notes",
      "is_ok",
      "inx",
      "nulls",
      "date",
      "timestamp",
      "Date",
      "TIMESTAMP",
      "NaN",
      "Infinity",
      "e5",
      "E",
      "_",
      "status",
      "metadata",
      "ın",
      "ıs",
      "exiﬆs"
    };
    private static final String[] STRING_PIECES = {
      "a",
      "it's",
      "''",
      "\"",
      "\\",
      "\\'",
      "\n",
      "\t",
      "😀",
      "\uD83D",
      "\uDE00",
      "Zürich",
      " ",
      "%",
      "_",
      "--",
      "/*",
      "*/",
      ";",
      "DROP TABLE x",
      "\u0000",
      "\u0301",
      "\u200B",
      "~"
    };
    private static final String[] QUOTED_PIECES = {
      "my col", "AND", "a.b", "x\"y", "😀", " ", ".", "1a", "select", "ß"
    };
    private static final String[] CMP = {"=", "!=", "<>", "<", "<=", ">", ">="};
    private static final String[] VOCABULARY = {
      "AND",
      "OR",
      "NOT",
      "IN",
      "IS",
      "NULL",
      "TRUE",
      "FALSE",
      "DATE",
      "TIMESTAMP",
      "LIKE",
      "BETWEEN",
      "CASE",
      "(",
      ")",
      ",",
      ".",
      "-",
      "+",
      "||",
      "*",
      "=",
      "!=",
      "<>",
      "<",
      ">=",
      "'x'",
      "''",
      "\"q\"",
      "1",
      "-1",
      ".5",
      "1e5",
      "3.",
      "a",
      "b.c",
      "'2024-01-05'",
      "!",
      "|",
      "#",
      "\"",
      "'"
    };
    private static final String[] RANDOM_PIECES = {
      "(",
      ")",
      "((",
      "))",
      "'",
      "\"",
      ",",
      ".",
      "-",
      "=",
      "<",
      ">",
      "!",
      "|",
      "+",
      "e",
      "E",
      "0",
      "1",
      "9",
      " ",
      "  ",
      "\t",
      "\n",
      "a",
      "z",
      "_",
      "AND",
      "OR",
      "NOT",
      "IN",
      "IS",
      "NULL",
      "DATE",
      "TIMESTAMP",
      "TRUE",
      "''",
      "\"\"",
      "😀",
      "\uD800",
      "\u0000",
      "ß",
      "İ",
      "٣",
      "\u00A0",
      "\u2028"
    };

    private final SplittableRandom rnd;
    final List<String> reports = new ArrayList<>();
    int checks;
    int failures;
    int accepted;
    int validAccepted;
    long slowest;

    Fuzz(SplittableRandom rnd) {
      this.rnd = rnd;
    }

    // ------------------------------------------------------------------------------------------
    // Checks

    /**
     * Parses {@code input} and records a failure when it throws anything but a FilterSyntaxException,
     * is too slow, does not round-trip through printing, or disagrees with the generator's expectation
     * ({@code expected} tree, or {@code mustReject}).
     */
    void check(String input, FilterExpr expected, boolean mustReject) {
      checks++;
      long t0 = System.nanoTime();
      Outcome first = parse(input);
      long took = System.nanoTime() - t0;
      if (took > TimeUnit.MILLISECONDS.toNanos(PARSE_BUDGET_MS)) {
        // A GC pause or a JIT compilation can stall one call; only a parse that is slow every time
        // fails.
        for (int i = 0; i < 2 && took > TimeUnit.MILLISECONDS.toNanos(PARSE_BUDGET_MS); i++) {
          long t1 = System.nanoTime();
          parse(input);
          took = Math.min(took, System.nanoTime() - t1);
        }
        if (took > TimeUnit.MILLISECONDS.toNanos(PARSE_BUDGET_MS)) {
          report(
              input,
              "parse took " + TimeUnit.NANOSECONDS.toMillis(took) + " ms (budget " + PARSE_BUDGET_MS
                  + " ms)");
          return;
        }
      }
      slowest = Math.max(slowest, took);
      if (first.thrown != null) {
        if (!(first.thrown instanceof FilterSyntaxException e)) {
          report(input, "threw " + stack(first.thrown));
          return;
        }
        int length = input.codePointCount(0, input.length());
        if (e.position() < 1 || e.position() > length + 1 || !e.input().equals(input)) {
          report(
              input,
              "error position " + e.position() + " outside 1.." + (length + 1) + ": " + e.detail());
        } else if (expected != null) {
          report(
              input,
              "rejected a valid filter (expected " + escape(expected.toString()) + "): "
                  + e.detail() + " at position " + e.position());
        }
        return;
      }
      accepted++;
      FilterExpr e = first.expr;
      if (mustReject) {
        report(input, "accepted an invalid filter as " + escape(e.toString()));
        return;
      }
      if (expected != null) {
        if (!expected.equals(e)) {
          report(
              input,
              "parsed to " + escape(e.toString()) + "\n      expected "
                  + escape(expected.toString()));
          return;
        }
        validAccepted++;
      }
      String printed;
      try {
        printed = e.toString();
        Filters.columns(e);
      } catch (Throwable t) {
        report(input, "printing threw " + stack(t));
        return;
      }
      Outcome again = parse(printed);
      if (again.thrown != null) {
        report(
            input,
            "printed as " + escape(printed) + ", which does not parse: " + stack(again.thrown));
      } else if (!again.expr.equals(e)) {
        report(
            input,
            "printed as " + escape(printed) + ", which parses to a different tree: "
                + escape(again.expr.toString()));
      }
    }

    private record Outcome(FilterExpr expr, Throwable thrown) {}

    private static Outcome parse(String input) {
      try {
        return new Outcome(Filters.parse(input), null);
      } catch (Throwable t) {
        // Errors too: a StackOverflowError here is exactly what the test is for.
        return new Outcome(null, t);
      }
    }

    private void report(String input, String problem) {
      failures++;
      if (reports.size() < MAX_REPORTED) {
        reports.add("  input \"" + escape(input) + "\": " + problem);
      }
    }

    private static String stack(Throwable t) {
      StackTraceElement[] st = t.getStackTrace();
      return escape(t.toString()) + (st.length > 0 ? " at " + st[0] : "");
    }

    /** Java string syntax for a message: the input can be pasted back into a test. */
    static String escape(String s) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\' || c == '"') {
          b.append('\\').append(c);
        } else if (c >= 0x20 && c < 0x7f) {
          b.append(c);
        } else {
          b.append(String.format("\\u%04X", (int) c));
        }
      }
      return b.length() > 600
          ? b.substring(0, 600) + "...(" + s.length() + " chars)"
          : b.toString();
    }

    // ------------------------------------------------------------------------------------------
    // Grammar-aware generation

    /**
     * A filter from the grammar; about one in a hundred nests around the depth limit, one in a thousand
     * is a long flat chain.
     */
    Piece generated() {
      int kind = rnd.nextInt(1000);
      Piece p = kind < 10 ? deep() : kind == 10 ? wide() : orExpr(3);
      List<String> spaced = new ArrayList<>();
      if (rnd.nextInt(8) == 0) {
        spaced.add(pick(WHITESPACE));
      }
      spaced.addAll(space(p.tokens()));
      if (rnd.nextInt(8) == 0) {
        spaced.add(pick(WHITESPACE));
      }
      boolean valid = p.valid() && p.depth() <= Filters.MAX_NESTING_DEPTH;
      return new Piece(spaced, p.tree(), valid, p.depth());
    }

    /** Joins tokens with whitespace where gluing them would change the lexing, and randomly elsewhere. */
    private List<String> space(List<String> tokens) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < tokens.size(); i++) {
        if (i > 0) {
          String a = tokens.get(i - 1);
          String b = tokens.get(i);
          if (mustSeparate(a, b) || rnd.nextInt(4) != 0) {
            out.add(rnd.nextInt(6) == 0 ? pick(WHITESPACE) : " ");
          }
        }
        out.add(tokens.get(i));
      }
      return out;
    }

    private static boolean mustSeparate(String a, String b) {
      char x = a.charAt(a.length() - 1);
      char y = b.charAt(0);
      boolean xWord = FilterLexer.isIdentifierPart(x);
      boolean yWord = FilterLexer.isIdentifierPart(y);
      return (xWord && yWord)
          || (Character.isDigit(x) && y == '.')
          || (x == '.' && (yWord || Character.isDigit(y)))
          || ((x == '<' || x == '>' || x == '!') && (y == '=' || y == '>'))
          || (x == '\'' && y == '\'')
          || (x == '"' && y == '"')
          || (x == '|' && y == '|');
    }

    private Piece orExpr(int budget) {
      int n = budget > 0 && rnd.nextInt(3) == 0 ? 2 + rnd.nextInt(2) : 1;
      return join(n, "OR", budget, true);
    }

    private Piece join(int n, String keyword, int budget, boolean or) {
      List<String> tokens = new ArrayList<>();
      List<FilterExpr> parts = new ArrayList<>();
      boolean valid = true;
      int depth = 0;
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          tokens.add(keyword(keyword));
        }
        Piece p = or ? andExpr(budget) : notExpr(budget);
        tokens.addAll(p.tokens());
        parts.add(p.tree());
        valid &= p.valid();
        depth = Math.max(depth, p.depth());
      }
      FilterExpr tree = !valid ? null : n == 1 ? parts.get(0) : or ? new Or(parts) : new And(parts);
      return new Piece(tokens, tree, valid, depth);
    }

    private Piece andExpr(int budget) {
      int n = budget > 0 && rnd.nextInt(3) == 0 ? 2 + rnd.nextInt(2) : 1;
      return join(n, "AND", budget, false);
    }

    private Piece notExpr(int budget) {
      if (budget > 0 && rnd.nextInt(7) == 0) {
        Piece inner = notExpr(budget - 1);
        return wrap("NOT", inner, inner.valid() ? new Not(inner.tree()) : null);
      }
      return predicate(budget);
    }

    private Piece wrap(String keyword, Piece inner, FilterExpr tree) {
      List<String> tokens = new ArrayList<>();
      tokens.add(keyword(keyword));
      tokens.addAll(inner.tokens());
      return new Piece(tokens, tree, inner.valid(), inner.depth() + 1);
    }

    private Piece parens(Piece inner) {
      List<String> tokens = new ArrayList<>();
      tokens.add("(");
      tokens.addAll(inner.tokens());
      tokens.add(")");
      return new Piece(tokens, inner.tree(), inner.valid(), inner.depth() + 1);
    }

    private Piece predicate(int budget) {
      if (rnd.nextInt(200) == 0) {
        return unsupported();
      }
      int choice = rnd.nextInt(budget > 0 ? 12 : 11);
      switch (choice) {
        case 0:
        case 1:
        case 2:
        case 3:
          return comparison();
        case 4:
          return isComparison();
        case 5:
        case 6:
          return inList();
        case 7:
          return nullTest();
        case 8:
          return bareCondition();
        case 9:
        case 10:
          return comparison();
        default:
          return parens(orExpr(budget - 1));
      }
    }

    /** SQL the language rejects: pattern operators, BETWEEN, function calls, arithmetic, CASE. */
    private Piece unsupported() {
      List<String> tokens = new ArrayList<>(column().tokens());
      switch (rnd.nextInt(6)) {
        case 0 ->
          tokens.addAll(
              List.of(keyword(pick(new String[] {"LIKE", "ILIKE", "GLOB", "SIMILAR"})), "'a%'"));
        case 1 -> tokens.addAll(List.of(keyword("NOT"), keyword("LIKE"), "'%'"));
        case 2 -> tokens.addAll(List.of(keyword("BETWEEN"), "1", keyword("AND"), "2"));
        case 3 ->
          tokens.addAll(List.of(pick(new String[] {"+", "-", "*", "/", "%", "||"}), "1", ">", "2"));
        case 4 -> tokens = new ArrayList<>(List.of("lower", "(", tokens.get(0), ")", "=", "'a'"));
        default ->
          tokens = new ArrayList<>(
              List.of(keyword("CASE"), keyword("WHEN"), "a", keyword("THEN"), "b", keyword("END")));
      }
      return new Piece(tokens, null, false, 0);
    }

    private Piece comparison() {
      Piece left = maybeParens(operand());
      Piece right = maybeParens(operand());
      String symbol = pick(CMP);
      Op op = switch (symbol) {
        case "=" -> Op.EQ;
        case "!=", "<>" -> Op.NE;
        case "<" -> Op.LT;
        case "<=" -> Op.LE;
        case ">" -> Op.GT;
        default -> Op.GE;
      };
      FilterExpr tree = null;
      if (left.valid() && right.valid()) {
        Operand l = (Operand) left.tree();
        Operand r = (Operand) right.tree();
        // The language's null tests: a column compared with NULL by = or != (either side).
        boolean lNull = l instanceof Literal ll && ll.isNull();
        boolean rNull = r instanceof Literal rl && rl.isNull();
        if ((op == Op.EQ || op == Op.NE)
            && ((lNull && r instanceof Column) || (rNull && l instanceof Column))) {
          IsNull test = new IsNull(lNull ? r : l);
          tree = op == Op.EQ ? test : new Not(test);
        } else {
          tree = new Compare(op, l, r);
        }
      }
      return binary(left, symbol, right, tree);
    }

    private Piece binary(Piece left, String operator, Piece right, FilterExpr tree) {
      List<String> tokens = new ArrayList<>(left.tokens());
      tokens.add(operator);
      tokens.addAll(right.tokens());
      return new Piece(
          tokens, tree, left.valid() && right.valid(), Math.max(left.depth(), right.depth()));
    }

    /** {@code x IS [NOT] y} with NULL only on the right, where the language makes it a null test. */
    private Piece isComparison() {
      Piece left = maybeParens(rnd.nextBoolean() ? column() : nonNullLiteral());
      Piece right = maybeParens(operand());
      boolean negated = rnd.nextBoolean();
      FilterExpr tree = null;
      if (left.valid() && right.valid()) {
        Operand l = (Operand) left.tree();
        Operand r = (Operand) right.tree();
        if (r instanceof Literal lit && lit.isNull()) {
          tree = negated ? new Not(new IsNull(l)) : new IsNull(l);
        } else {
          tree = new Compare(negated ? Op.IS_NOT : Op.IS, l, r);
        }
      }
      return binary(left, keyword("IS") + (negated ? " " + keyword("NOT") : ""), right, tree);
    }

    private Piece nullTest() {
      Piece operand = maybeParens(operand());
      boolean negated = rnd.nextBoolean();
      FilterExpr tree = null;
      if (operand.valid()) {
        IsNull test = new IsNull((Operand) operand.tree());
        tree = negated ? new Not(test) : test;
      }
      List<String> tokens = new ArrayList<>(operand.tokens());
      tokens.add(keyword("IS"));
      if (negated) {
        tokens.add(keyword("NOT"));
      }
      tokens.add(keyword("NULL"));
      return new Piece(tokens, tree, operand.valid(), operand.depth());
    }

    private Piece inList() {
      Piece column = maybeParens(column());
      boolean negated = rnd.nextBoolean();
      List<String> tokens = new ArrayList<>(column.tokens());
      if (negated) {
        tokens.add(keyword("NOT"));
      }
      tokens.add(keyword("IN"));
      tokens.add("(");
      int n = 1 + rnd.nextInt(4);
      List<Literal> values = new ArrayList<>();
      boolean valid = column.valid();
      int depth = column.depth();
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          tokens.add(",");
        }
        Piece v = maybeParens(literal());
        tokens.addAll(v.tokens());
        valid &= v.valid();
        depth = Math.max(depth, v.depth());
        if (v.valid()) {
          values.add((Literal) v.tree());
        }
      }
      tokens.add(")");
      FilterExpr tree = valid ? new In((Column) column.tree(), values, negated) : null;
      return new Piece(tokens, tree, valid, depth);
    }

    private Piece bareCondition() {
      switch (rnd.nextInt(4)) {
        case 0:
          return maybeParens(new Piece(List.of(keyword("TRUE")), Literal.TRUE, true, 0));
        case 1:
          return maybeParens(new Piece(List.of(keyword("FALSE")), Literal.FALSE, true, 0));
        case 2:
          return maybeParens(new Piece(List.of(keyword("NULL")), Literal.NULL, true, 0));
        default:
          return maybeParens(column());
      }
    }

    private Piece maybeParens(Piece p) {
      Piece out = p;
      while (rnd.nextInt(10) == 0) {
        out = parens(out);
      }
      return out;
    }

    private Piece operand() {
      return rnd.nextInt(5) < 2 ? column() : literal();
    }

    /** A column: bare (possibly dotted), quoted, or a dotted mix. */
    private Piece column() {
      int parts = rnd.nextInt(6) == 0 ? 2 + rnd.nextInt(2) : 1;
      List<String> tokens = new ArrayList<>();
      StringBuilder name = new StringBuilder();
      for (int i = 0; i < parts; i++) {
        if (i > 0) {
          tokens.add(".");
          name.append('.');
        }
        if (rnd.nextInt(4) == 0) {
          String q = quotedName();
          tokens.add('"' + q.replace("\"", "\"\"") + '"');
          name.append(q);
        } else {
          String bare = bareName(i == 0);
          tokens.add(bare);
          name.append(bare);
        }
      }
      return new Piece(tokens, new Column(name.toString()), true, 0);
    }

    private String quotedName() {
      StringBuilder b = new StringBuilder();
      int n = 1 + rnd.nextInt(3);
      for (int i = 0; i < n; i++) {
        b.append(rnd.nextBoolean() ? pick(QUOTED_PIECES) : pick(NAME_CHARS));
      }
      return b.toString();
    }

    /**
     * A bare identifier that is not reserved. After a dot even {@code date} and {@code timestamp} must
     * be quoted; first, they are column names unless a string follows, which never happens here.
     */
    private String bareName(boolean first) {
      while (true) {
        String s;
        if (rnd.nextInt(4) == 0) {
          s = pick(WORDS);
        } else {
          StringBuilder b = new StringBuilder(pick(NAME_CHARS));
          int n = rnd.nextInt(5);
          for (int i = 0; i < n; i++) {
            b.append(rnd.nextInt(3) == 0 ? pick(TAIL_CHARS) : pick(NAME_CHARS));
          }
          s = b.toString();
        }
        String upper = s.toUpperCase(Locale.ROOT);
        boolean typedPrefix = upper.equals("DATE") || upper.equals("TIMESTAMP");
        if (!FilterPrinter.RESERVED.contains(upper) || (first && typedPrefix)) {
          return s;
        }
      }
    }

    private Piece literal() {
      return rnd.nextInt(8) == 0
          ? new Piece(List.of(keyword("NULL")), Literal.NULL, true, 0)
          : nonNullLiteral();
    }

    /** A literal of every type; about one in a hundred is out of range or malformed and must be rejected. */
    private Piece nonNullLiteral() {
      switch (rnd.nextInt(7)) {
        case 0:
          return integer();
        case 1:
          return decimal();
        case 2:
          return string();
        case 3:
          return rnd.nextBoolean()
              ? new Piece(List.of(keyword("TRUE")), Literal.TRUE, true, 0)
              : new Piece(List.of(keyword("FALSE")), Literal.FALSE, true, 0);
        case 4:
          return date();
        case 5:
          return timestamp();
        default:
          return rnd.nextBoolean() ? integer() : string();
      }
    }

    private Piece integer() {
      if (rnd.nextInt(100) == 0) {
        String tooBig =
            rnd.nextBoolean() ? "9223372036854775808" : "1" + "0".repeat(19 + rnd.nextInt(60));
        return new Piece(List.of(tooBig), null, false, 0);
      }
      long v = switch (rnd.nextInt(6)) {
        case 0 -> Long.MIN_VALUE;
        case 1 -> Long.MAX_VALUE;
        case 2 -> rnd.nextLong();
        default -> rnd.nextInt(2001) - 1000;
      };
      String digits = v == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(Math.abs(v));
      if (rnd.nextInt(10) == 0) {
        digits = "0".repeat(1 + rnd.nextInt(3)) + digits;
      }
      List<String> tokens = v < 0 ? List.of("-", digits) : List.of(digits);
      return new Piece(tokens, new Literal(v), true, 0);
    }

    private Piece decimal() {
      String text = switch (rnd.nextInt(7)) {
        case 0 -> rnd.nextInt(1000) + "." + rnd.nextInt(1000);
        case 1 -> "." + (1 + rnd.nextInt(999));
        case 2 -> rnd.nextInt(1000) + ".";
        case 3 ->
          (1 + rnd.nextInt(9))
              + (rnd.nextBoolean() ? "e" : "E")
              + pick(new String[] {"", "+", "-"})
              + rnd.nextInt(330);
        case 4 -> Double.toString(rnd.nextDouble() * Math.pow(10, rnd.nextInt(-300, 300)));
        case 5 -> rnd.nextBoolean() ? "0.0" : "4.9E-324";
        default -> rnd.nextInt(100) + "." + rnd.nextInt(100) + "e-" + rnd.nextInt(5);
      };
      double d = Double.parseDouble(text);
      boolean negative = rnd.nextInt(3) == 0;
      if (!Double.isFinite(d)) {
        return new Piece(List.of(text), null, false, 0);
      }
      return new Piece(
          negative ? List.of("-", text) : List.of(text), new Literal(negative ? -d : d), true, 0);
    }

    private Piece string() {
      StringBuilder b = new StringBuilder();
      int n = rnd.nextInt(5);
      for (int i = 0; i < n; i++) {
        b.append(pick(STRING_PIECES));
      }
      String s = b.toString();
      return new Piece(List.of(quote(s)), new Literal(s), true, 0);
    }

    private static String quote(String s) {
      return "'" + s.replace("'", "''") + "'";
    }

    private Piece date() {
      if (rnd.nextInt(100) == 0) {
        String bad = pick(new String[] {
          "2024-02-30", "2024-13-01", "24-01-01", "", "2024/01/05", "2024-01-05T00:00:00Z"
        });
        return new Piece(List.of(keyword("DATE"), quote(bad)), null, false, 0);
      }
      LocalDate d = switch (rnd.nextInt(10)) {
        case 0 -> LocalDate.MIN;
        case 1 -> LocalDate.MAX;
        case 2 ->
          LocalDate.ofEpochDay(
              rnd.nextLong(LocalDate.MIN.toEpochDay(), LocalDate.MAX.toEpochDay()));
        default -> LocalDate.ofEpochDay(rnd.nextInt(-30_000, 60_000));
      };
      return new Piece(List.of(keyword("DATE"), quote(d.toString())), new Literal(d), true, 0);
    }

    /**
     * A timestamp in every accepted spelling. Near the ends of the year range, an offset can move the
     * instant past what a UTC date-time can hold; such a literal must be rejected.
     */
    private Piece timestamp() {
      if (rnd.nextInt(100) == 0) {
        String bad =
            pick(new String[] {"soon", "2024-01-05T25:00:00Z", "2024-01-05T10:00:00+19:00", ""});
        return new Piece(List.of(keyword("TIMESTAMP"), quote(bad)), null, false, 0);
      }
      LocalDateTime utc = switch (rnd.nextInt(12)) {
        case 0 -> LocalDateTime.MAX;
        case 1 -> LocalDateTime.MIN;
        case 2 ->
          LocalDateTime.ofEpochSecond(
              rnd.nextLong(
                  LocalDateTime.MIN.toEpochSecond(ZoneOffset.UTC),
                  LocalDateTime.MAX.toEpochSecond(ZoneOffset.UTC)),
              rnd.nextInt(1_000_000_000),
              ZoneOffset.UTC);
        default ->
          LocalDateTime.ofEpochSecond(
              rnd.nextLong(-2_000_000_000L, 5_000_000_000L),
              rnd.nextInt(4) == 0 ? rnd.nextInt(1_000_000_000) : 0,
              ZoneOffset.UTC);
      };
      String text;
      Instant expected;
      boolean valid = true;
      switch (rnd.nextInt(5)) {
        case 0 -> {
          expected = utc.toInstant(ZoneOffset.UTC);
          text = expected.toString();
        }
        case 1 -> {
          // The same wall-clock time at another offset: near the range ends the instant leaves it.
          ZoneOffset offset =
              ZoneOffset.ofTotalSeconds(rnd.nextInt(-18 * 3600, 18 * 3600 + 1) / 60 * 60);
          OffsetDateTime odt = OffsetDateTime.of(utc, offset);
          text = odt.toString();
          expected = odt.toInstant();
          valid = !expected.isBefore(LocalDateTime.MIN.toInstant(ZoneOffset.UTC))
              && !expected.isAfter(LocalDateTime.MAX.toInstant(ZoneOffset.UTC));
        }
        case 2 -> {
          expected = utc.toInstant(ZoneOffset.UTC);
          text = utc.toString();
          if (utc.getYear() >= 0 && utc.getYear() <= 9999 && rnd.nextBoolean()) {
            text = text.replace('T', ' ');
          }
        }
        case 3 -> {
          expected = utc.toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC);
          text = utc.toLocalDate().toString();
        }
        default -> {
          expected = utc.toInstant(ZoneOffset.UTC);
          text = " " + expected + "\t";
        }
      }
      return new Piece(
          List.of(keyword("TIMESTAMP"), quote(text)),
          valid ? new Literal(expected) : null,
          valid,
          0);
    }

    /** A keyword in random letter case. */
    private String keyword(String k) {
      switch (rnd.nextInt(4)) {
        case 0:
          return k.toLowerCase(Locale.ROOT);
        case 1:
          StringBuilder b = new StringBuilder();
          for (char c : k.toCharArray()) {
            b.append(rnd.nextBoolean() ? Character.toLowerCase(c) : c);
          }
          return b.toString();
        default:
          return k;
      }
    }

    /**
     * Nesting right at the limit: each level is a NOT, a parenthesis, or a parenthesised AND/OR whose
     * last operand goes on nesting, so the tree is about as deep as the text allows.
     */
    private Piece deep() {
      int levels = Filters.MAX_NESTING_DEPTH - 3 + rnd.nextInt(7);
      Piece core = comparison();
      // Tokens before the core in reverse order, and after it in order: no copying per level.
      List<String> before = new ArrayList<>();
      List<String> after = new ArrayList<>();
      FilterExpr tree = core.tree();
      boolean valid = core.valid();
      int depth = core.depth();
      for (int i = 0; i < levels; i++) {
        switch (rnd.nextInt(4)) {
          case 0 -> {
            before.add(keyword("NOT"));
            tree = valid ? new Not(tree) : null;
          }
          case 1 -> {
            before.add("(");
            after.add(")");
          }
          default -> {
            Piece other = comparison();
            boolean or = rnd.nextBoolean();
            before.add(keyword(or ? "OR" : "AND"));
            for (int t = other.tokens().size() - 1; t >= 0; t--) {
              before.add(other.tokens().get(t));
            }
            before.add("(");
            after.add(")");
            valid &= other.valid();
            depth = Math.max(depth, other.depth());
            tree = valid
                ? (or ? new Or(List.of(other.tree(), tree)) : new And(List.of(other.tree(), tree)))
                : null;
          }
        }
        depth++;
      }
      List<String> tokens = new ArrayList<>(before.size() + core.tokens().size() + after.size());
      for (int t = before.size() - 1; t >= 0; t--) {
        tokens.add(before.get(t));
      }
      tokens.addAll(core.tokens());
      tokens.addAll(after);
      return new Piece(tokens, tree, valid, depth);
    }

    /** A long flat chain of predicates joined by AND and OR: tens of thousands of characters. */
    private Piece wide() {
      int n = 200 + rnd.nextInt(1800);
      List<String> tokens = new ArrayList<>();
      List<FilterExpr> or = new ArrayList<>();
      List<FilterExpr> and = new ArrayList<>();
      boolean valid = true;
      int depth = 0;
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          boolean isOr = rnd.nextInt(3) == 0;
          tokens.add(keyword(isOr ? "OR" : "AND"));
          if (isOr && valid) {
            or.add(and.size() == 1 ? and.get(0) : new And(and));
            and = new ArrayList<>();
          }
        }
        Piece p = rnd.nextBoolean() ? parens(comparison()) : predicate(0);
        tokens.addAll(p.tokens());
        valid &= p.valid();
        depth = Math.max(depth, p.depth());
        and.add(p.tree());
      }
      if (!valid) {
        return new Piece(tokens, null, false, depth);
      }
      or.add(and.size() == 1 ? and.get(0) : new And(and));
      return new Piece(tokens, or.size() == 1 ? or.get(0) : new Or(or), true, depth);
    }

    // ------------------------------------------------------------------------------------------
    // Mutation and random text

    /** A generated filter with one to three token or character mutations. */
    String mutated() {
      List<String> tokens = new ArrayList<>(generated().tokens());
      int mutations = 1 + rnd.nextInt(3);
      String text = null;
      for (int m = 0; m < mutations; m++) {
        if (text == null && rnd.nextInt(3) != 0) {
          mutateTokens(tokens);
        } else {
          if (text == null) {
            text = String.join("", tokens);
          }
          text = mutateText(text);
        }
      }
      return text != null ? text : String.join("", tokens);
    }

    private void mutateTokens(List<String> tokens) {
      if (tokens.isEmpty()) {
        tokens.add(pick(VOCABULARY));
        return;
      }
      int i = rnd.nextInt(tokens.size());
      switch (rnd.nextInt(5)) {
        case 0 -> tokens.remove(i);
        case 1 -> tokens.add(i, tokens.get(i));
        case 2 -> {
          int j = Math.min(tokens.size() - 1, i + 1 + rnd.nextInt(2));
          String t = tokens.get(i);
          tokens.set(i, tokens.get(j));
          tokens.set(j, t);
        }
        case 3 -> tokens.set(i, pick(VOCABULARY));
        default ->
          tokens.add(
              i,
              (rnd.nextBoolean() ? " " : "") + pick(VOCABULARY) + (rnd.nextBoolean() ? " " : ""));
      }
    }

    private String mutateText(String text) {
      int at = text.isEmpty() ? 0 : rnd.nextInt(text.length() + 1);
      switch (rnd.nextInt(5)) {
        case 0:
          return text.substring(0, at);
        case 1:
          return at < text.length() ? text.substring(0, at) + text.substring(at + 1) : text;
        case 2:
          return text.substring(0, at) + randomChars(1 + rnd.nextInt(3)) + text.substring(at);
        case 3: {
          int end = at + rnd.nextInt(Math.max(1, text.length() - at + 1));
          end = Math.min(end, text.length());
          String part = text.substring(at, end);
          part = rnd.nextBoolean() ? part.toUpperCase(Locale.ROOT) : part.toLowerCase(Locale.ROOT);
          return text.substring(0, at) + part + text.substring(end);
        }
        default:
          return text.substring(0, at) + pick(RANDOM_PIECES) + text.substring(at);
      }
    }

    /** Random characters: ASCII, controls, any BMP character (lone surrogates included), or an emoji. */
    private String randomChars(int n) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < n; i++) {
        switch (rnd.nextInt(5)) {
          case 0 -> b.append((char) rnd.nextInt(0x20, 0x7f));
          case 1 -> b.append((char) rnd.nextInt(0x20));
          case 2 -> b.append((char) rnd.nextInt(0x10000));
          case 3 -> b.appendCodePoint(rnd.nextInt(0x1F300, 0x1FAFF));
          default -> b.append(pick(RANDOM_PIECES));
        }
      }
      return b.toString();
    }

    /** A string of grammar fragments and random characters, up to 80 pieces. */
    String randomString() {
      int n = rnd.nextInt(81);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < n; i++) {
        b.append(rnd.nextInt(3) == 0 ? randomChars(1) : pick(RANDOM_PIECES));
      }
      return b.toString();
    }

    private String pick(String[] options) {
      return options[rnd.nextInt(options.length)];
    }
  }
}
