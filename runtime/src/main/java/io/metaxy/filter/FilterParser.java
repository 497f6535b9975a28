package io.metaxy.filter;

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
import io.metaxy.filter.FilterLexer.Token;
import io.metaxy.filter.FilterLexer.Type;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Recursive-descent parser for the grammar documented in {@code package-info.java}. */
final class FilterParser {
  private static final Set<String> UNSUPPORTED_PREDICATES =
      Set.of("BETWEEN", "LIKE", "ILIKE", "GLOB", "REGEXP", "RLIKE", "SIMILAR");
  private static final BigInteger MIN_LONG = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

  private final String input;
  private final List<Token> tokens;
  private int next;
  /** Parentheses and NOTs open around the current token; bounded so no pass over the tree overflows. */
  private int depth;

  private FilterParser(String input) {
    this.input = input;
    this.tokens = FilterLexer.tokenize(input);
  }

  static FilterExpr parse(String input) {
    if (input.isBlank()) {
      throw new FilterSyntaxException(input, 1, "filter string cannot be empty");
    }
    FilterParser p = new FilterParser(input);
    Token first = p.peek();
    FilterExpr e = p.condition(p.orExpr(), first);
    Token t = p.peek();
    if (t.type() != Type.EOF) {
      throw p.error(
          t, t.type() == Type.RPAREN ? "unbalanced ')'" : "expected AND, OR or end of filter");
    }
    return e;
  }

  // orExpr := andExpr { OR andExpr }
  private FilterExpr orExpr() {
    Token start = peek();
    FilterExpr first = andExpr();
    if (!isKeyword(peek(), "OR")) {
      return first;
    }
    List<FilterExpr> parts = new ArrayList<>();
    parts.add(condition(first, start));
    while (isKeyword(peek(), "OR")) {
      advance();
      Token t = peek();
      parts.add(condition(andExpr(), t));
    }
    return new Or(parts);
  }

  // andExpr := notExpr { AND notExpr }
  private FilterExpr andExpr() {
    Token start = peek();
    FilterExpr first = notExpr();
    if (!isKeyword(peek(), "AND")) {
      return first;
    }
    List<FilterExpr> parts = new ArrayList<>();
    parts.add(condition(first, start));
    while (isKeyword(peek(), "AND")) {
      advance();
      Token t = peek();
      parts.add(condition(notExpr(), t));
    }
    return new And(parts);
  }

  // notExpr := NOT notExpr | predicate
  private FilterExpr notExpr() {
    if (isKeyword(peek(), "NOT")) {
      enter(advance());
      Token t = peek();
      FilterExpr operand = notExpr();
      depth--;
      return new Not(condition(operand, t));
    }
    return predicate();
  }

  /**
   * predicate := '(' orExpr ')' [suffix] | operand [suffix]. A parenthesised operand followed by a
   * comparison, IS or IN is an operand in parentheses, as in {@code (a) = 1}.
   */
  private FilterExpr predicate() {
    Token start = peek();
    if (start.type() == Type.LPAREN) {
      enter(advance());
      FilterExpr inner = orExpr();
      expectClose(start);
      depth--;
      if (inner instanceof Operand o && startsSuffix(peek())) {
        return suffix(o, start);
      }
      return inner;
    }
    Operand left = operand();
    return suffix(left, start);
  }

  private boolean startsSuffix(Token t) {
    return t.type() == Type.COMPARISON
        || isKeyword(t, "IS")
        || isKeyword(t, "IN")
        || isKeyword(t, "NOT")
        || t.type() == Type.ARITHMETIC
        || t.type() == Type.MINUS
        || (t.type() == Type.WORD && UNSUPPORTED_PREDICATES.contains(upper(t)));
  }

  /** What may follow an operand: a comparison, IS [NOT], [NOT] IN, or nothing (bare operand). */
  private FilterExpr suffix(Operand left, Token leftToken) {
    Token t = peek();
    if (t.type() == Type.COMPARISON) {
      advance();
      Operand right = operand();
      return comparison(opFor(t.text()), left, right);
    }
    if (isKeyword(t, "IS")) {
      advance();
      boolean negated = false;
      if (isKeyword(peek(), "NOT")) {
        advance();
        negated = true;
      }
      return comparison(negated ? Op.IS_NOT : Op.IS, left, operand());
    }
    if (isKeyword(t, "NOT") && isKeyword(peekAt(1), "IN")) {
      advance();
      advance();
      return inList(left, leftToken, true);
    }
    if (isKeyword(t, "IN")) {
      advance();
      return inList(left, leftToken, false);
    }
    if (t.type() == Type.WORD && UNSUPPORTED_PREDICATES.contains(upper(t))) {
      throw error(t, "unsupported expression: " + upper(t) + " is not supported");
    }
    if (isKeyword(t, "NOT")) {
      Token after = peekAt(1);
      if (after.type() == Type.WORD && UNSUPPORTED_PREDICATES.contains(upper(after))) {
        throw error(after, "unsupported expression: NOT " + upper(after) + " is not supported");
      }
    }
    if (t.type() == Type.ARITHMETIC || t.type() == Type.MINUS) {
      throw error(
          t, "unsupported operand: arithmetic operator '" + t.text() + "' is not supported");
    }
    return left;
  }

  /**
   * Builds a comparison, turning the null comparisons the language defines as null tests into
   * {@link IsNull}: {@code col = NULL}, {@code NULL = col} and {@code x IS NULL} test for null, and
   * their negated forms test for non-null. {@code NULL} against a non-column with {@code =} or an
   * ordering operator stays a comparison, which is always unknown.
   */
  private static FilterExpr comparison(Op op, Operand left, Operand right) {
    boolean leftNull = left instanceof Literal l && l.isNull();
    boolean rightNull = right instanceof Literal r && r.isNull();
    boolean nullTest = op == Op.IS
        || op == Op.IS_NOT
        || ((op == Op.EQ || op == Op.NE)
            && ((leftNull && right instanceof Column) || (rightNull && left instanceof Column)));
    if (nullTest && (leftNull || rightNull)) {
      FilterExpr test = new IsNull(rightNull ? left : right);
      return op == Op.EQ || op == Op.IS ? test : new Not(test);
    }
    return new Compare(op, left, right);
  }

  private FilterExpr inList(Operand left, Token leftToken, boolean negated) {
    if (!(left instanceof Column column)) {
      throw error(leftToken, "IN operator left-hand side must be a column");
    }
    expect(Type.LPAREN, "expected '(' after IN");
    List<Literal> values = new ArrayList<>();
    while (true) {
      Token itemToken = peek();
      Operand item = operand();
      if (!(item instanceof Literal literal)) {
        throw error(itemToken, "IN operator values must be literals");
      }
      values.add(literal);
      Token sep = peek();
      if (sep.type() == Type.COMMA) {
        advance();
      } else if (sep.type() == Type.RPAREN) {
        advance();
        return new In(column, values, negated);
      } else {
        throw error(sep, "expected ',' or ')' in the IN list");
      }
    }
  }

  /**
   * operand := column | literal | '-' number | DATE string | TIMESTAMP string | '(' operand ')'.
   */
  private Operand operand() {
    Operand o = operandNoArithmetic();
    Token t = peek();
    if (t.type() == Type.ARITHMETIC || t.type() == Type.MINUS) {
      throw error(
          t, "unsupported operand: arithmetic operator '" + t.text() + "' is not supported");
    }
    return o;
  }

  private Operand operandNoArithmetic() {
    Token t = peek();
    switch (t.type()) {
      case STRING:
        advance();
        return new Literal(t.text());
      case NUMBER:
        advance();
        return number(t, false);
      case MINUS: {
        advance();
        Token n = peek();
        if (n.type() != Type.NUMBER) {
          throw error(t, "unary minus only supported for numeric literals");
        }
        advance();
        return number(n, true);
      }
      case QUOTED:
        advance();
        return column(t.text());
      case LPAREN: {
        enter(advance());
        Operand inner = operand();
        expectClose(t);
        depth--;
        return inner;
      }
      case WORD:
        return wordOperand(t);
      default:
        throw error(t, "expected a value");
    }
  }

  private Operand wordOperand(Token t) {
    String word = upper(t);
    switch (word) {
      case "NULL":
        advance();
        return Literal.NULL;
      case "TRUE":
        advance();
        return Literal.TRUE;
      case "FALSE":
        advance();
        return Literal.FALSE;
      case "DATE":
      case "TIMESTAMP":
        if (peekAt(1).type() == Type.STRING) {
          advance();
          Token s = advance();
          return word.equals("DATE") ? dateLiteral(s) : timestampLiteral(s);
        }
        break;
      default:
        break;
    }
    if (FilterPrinter.RESERVED.contains(word)
        && !word.equals("DATE")
        && !word.equals("TIMESTAMP")) {
      if (word.equals("CASE")
          || word.equals("EXISTS")
          || word.equals("SELECT")
          || word.equals("CAST")) {
        throw error(t, "unsupported expression: " + word + " is not supported");
      }
      throw error(t, "expected a value but found keyword " + word);
    }
    advance();
    if (peek().type() == Type.LPAREN) {
      throw error(
          t, "unsupported expression: function call " + t.text() + "(...) is not supported");
    }
    return column(t.text());
  }

  /** Continues a column reference over {@code .part} suffixes; the dotted path is one column name. */
  private Column column(String first) {
    StringBuilder name = new StringBuilder(first);
    while (peek().type() == Type.DOT) {
      advance();
      Token part = peek();
      if (part.type() == Type.QUOTED
          || (part.type() == Type.WORD && !FilterPrinter.RESERVED.contains(upper(part)))) {
        advance();
        name.append('.').append(part.text());
      } else {
        throw error(part, "expected a column name after '.'");
      }
    }
    return new Column(name.toString());
  }

  private Literal number(Token t, boolean negative) {
    String text = t.text();
    if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
      String digits = text.replaceFirst("^0+(?=.)", "");
      if (digits.length() > 19) {
        // Past Long's 19 digits; BigInteger would take quadratic time on a pasted megabyte of
        // digits.
        throw error(t, "integer literal " + (negative ? "-" : "") + text + " is out of range");
      }
      BigInteger v = new BigInteger(digits);
      if (negative) {
        v = v.negate();
      }
      if (v.compareTo(MIN_LONG) < 0 || v.compareTo(MAX_LONG) > 0) {
        throw error(t, "integer literal " + (negative ? "-" : "") + text + " is out of range");
      }
      return new Literal(v.longValue());
    }
    double d = Double.parseDouble(text);
    if (Double.isInfinite(d)) {
      throw error(t, "numeric literal " + text + " is out of range");
    }
    return new Literal(negative ? -d : d);
  }

  private Literal dateLiteral(Token s) {
    try {
      return new Literal(LocalDate.parse(s.text()));
    } catch (DateTimeParseException e) {
      throw error(s, "invalid DATE literal '" + s.text() + "': expected yyyy-mm-dd");
    }
  }

  private Literal timestampLiteral(Token s) {
    Optional<Instant> instant = Temporals.parseInstant(s.text());
    if (instant.isEmpty()) {
      throw error(
          s,
          "invalid TIMESTAMP literal '"
              + s.text()
              + "': expected an ISO-8601 timestamp such as 2024-01-05T00:00:00Z");
    }
    if (!Temporals.inRange(instant.get())) {
      throw error(
          s,
          "TIMESTAMP literal '"
              + s.text()
              + "' is out of range: in UTC it must fall between "
              + Temporals.MIN
              + " and "
              + Temporals.MAX);
    }
    return new Literal(instant.get());
  }

  /**
   * Checks that an expression used as a condition can be one: a bare literal must be boolean or NULL.
   * (A bare column is checked against its type at evaluation time.)
   */
  private FilterExpr condition(FilterExpr e, Token start) {
    if (e instanceof Literal l && !(l.value() == null || l.value() instanceof Boolean)) {
      throw error(start, "expected a condition but found the literal " + l);
    }
    return e;
  }

  private static Op opFor(String symbol) {
    switch (symbol) {
      case "=":
        return Op.EQ;
      case "!=":
        return Op.NE;
      case "<":
        return Op.LT;
      case "<=":
        return Op.LE;
      case ">":
        return Op.GT;
      case ">=":
        return Op.GE;
      default:
        throw new AssertionError(symbol);
    }
  }

  /**
   * Counts one more level of nesting for {@code t} (a '(' or NOT). The parser and every later pass over
   * the tree (printing, evaluation, the jOOQ translation) recurse once or twice per level, so the limit
   * keeps a parsed filter far from a stack overflow on a default thread stack.
   */
  private void enter(Token t) {
    if (++depth > Filters.MAX_NESTING_DEPTH) {
      throw error(
          t,
          "filter nested too deeply: more than "
              + Filters.MAX_NESTING_DEPTH
              + " levels of parentheses and NOT");
    }
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token peekAt(int ahead) {
    return tokens.get(Math.min(next + ahead, tokens.size() - 1));
  }

  private Token advance() {
    Token t = tokens.get(next);
    if (t.type() != Type.EOF) {
      next++;
    }
    return t;
  }

  private void expect(Type type, String detail) {
    Token t = peek();
    if (t.type() != type) {
      throw error(t, detail);
    }
    advance();
  }

  /**
   * Consumes the ')' closing {@code open}. The message is built only on failure: counting the position
   * of every '(' up front made a long filter with many parentheses quadratic.
   */
  private void expectClose(Token open) {
    if (peek().type() != Type.RPAREN) {
      throw error(
          peek(),
          "expected ')' to close the '(' at position " + FilterLexer.position(input, open.index()));
    }
    advance();
  }

  private static boolean isKeyword(Token t, String keyword) {
    return t.type() == Type.WORD && t.text().equalsIgnoreCase(keyword);
  }

  private static String upper(Token t) {
    return t.text().toUpperCase(Locale.ROOT);
  }

  private FilterSyntaxException error(Token t, String detail) {
    String where = t.type() == Type.EOF ? " (at end of filter)" : "";
    return new FilterSyntaxException(input, FilterLexer.position(input, t.index()), detail + where);
  }
}
