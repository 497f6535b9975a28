package io.metaxy.filter;

import io.metaxy.filter.FilterExpr.And;
import io.metaxy.filter.FilterExpr.Column;
import io.metaxy.filter.FilterExpr.Compare;
import io.metaxy.filter.FilterExpr.In;
import io.metaxy.filter.FilterExpr.IsNull;
import io.metaxy.filter.FilterExpr.Literal;
import io.metaxy.filter.FilterExpr.Not;
import io.metaxy.filter.FilterExpr.Or;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Renders expressions as filter text that {@link FilterParser} reads back into an equal tree. */
final class FilterPrinter {
  /**
   * Words that cannot be bare column names: the operators and literals of the language, the typed
   * literal prefixes, and the SQL words the parser rejects with a dedicated message.
   */
  static final Set<String> RESERVED = Set.of(
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
      "BETWEEN",
      "LIKE",
      "ILIKE",
      "GLOB",
      "REGEXP",
      "RLIKE",
      "SIMILAR",
      "CASE",
      "WHEN",
      "THEN",
      "ELSE",
      "END",
      "EXISTS",
      "SELECT",
      "FROM",
      "WHERE",
      "CAST",
      "ESCAPE",
      "DISTINCT",
      "ANY",
      "ALL",
      "SOME");

  private static final int OR = 1;
  private static final int AND = 2;
  private static final int NOT = 3;
  private static final int ATOM = 4;

  private FilterPrinter() {}

  static String print(FilterExpr e) {
    StringBuilder sb = new StringBuilder();
    append(sb, e);
    return sb.toString();
  }

  private static int precedence(FilterExpr e) {
    if (e instanceof Or) {
      return OR;
    }
    if (e instanceof And) {
      return AND;
    }
    if (e instanceof Not n && !(n.operand() instanceof IsNull)) {
      return NOT;
    }
    return ATOM;
  }

  private static void append(StringBuilder sb, FilterExpr e, int minPrecedence) {
    if (precedence(e) < minPrecedence) {
      sb.append('(');
      append(sb, e);
      sb.append(')');
    } else {
      append(sb, e);
    }
  }

  private static void append(StringBuilder sb, FilterExpr e) {
    if (e instanceof Column c) {
      sb.append(column(c.name()));
    } else if (e instanceof Literal l) {
      sb.append(literal(l.value()));
    } else if (e instanceof Compare c) {
      append(sb, c.left());
      sb.append(' ').append(c.op().symbol()).append(' ');
      append(sb, c.right());
    } else if (e instanceof In in) {
      append(sb, in.column());
      sb.append(in.negated() ? " NOT IN (" : " IN (");
      List<Literal> values = in.values();
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        append(sb, values.get(i));
      }
      sb.append(')');
    } else if (e instanceof IsNull n) {
      append(sb, n.operand());
      sb.append(" IS NULL");
    } else if (e instanceof Not n) {
      if (n.operand() instanceof IsNull isNull) {
        // Reads better than NOT x IS NULL and parses to the same tree.
        append(sb, isNull.operand());
        sb.append(" IS NOT NULL");
      } else {
        sb.append("NOT ");
        append(sb, n.operand(), NOT);
      }
    } else if (e instanceof And a) {
      join(sb, a.operands(), " AND ", NOT);
    } else if (e instanceof Or o) {
      join(sb, o.operands(), " OR ", AND);
    } else {
      throw new AssertionError(e);
    }
  }

  private static void join(
      StringBuilder sb, List<FilterExpr> parts, String sep, int minPrecedence) {
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        sb.append(sep);
      }
      append(sb, parts.get(i), minPrecedence);
    }
  }

  /** A column reference: bare (possibly dotted) when every part is a plain identifier, else quoted. */
  static String column(String name) {
    String[] parts = name.split("\\.", -1);
    boolean bare = true;
    for (String part : parts) {
      bare &= isBareIdentifier(part);
    }
    if (bare) {
      return name;
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  private static boolean isBareIdentifier(String s) {
    if (s.isEmpty() || !FilterLexer.isIdentifierStart(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (!FilterLexer.isIdentifierPart(s.charAt(i))) {
        return false;
      }
    }
    return !RESERVED.contains(s.toUpperCase(Locale.ROOT));
  }

  static String literal(@Nullable Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof String s) {
      return quote(s);
    }
    if (value instanceof Boolean b) {
      return b ? "TRUE" : "FALSE";
    }
    if (value instanceof LocalDate d) {
      return "DATE " + quote(d.toString());
    }
    if (value instanceof Instant t) {
      return "TIMESTAMP " + quote(t.toString());
    }
    // Long prints as digits; Double.toString always has '.' or 'E', so it parses back as a Double.
    return value.toString();
  }

  private static String quote(String s) {
    return '\'' + s.replace("'", "''") + '\'';
  }
}
