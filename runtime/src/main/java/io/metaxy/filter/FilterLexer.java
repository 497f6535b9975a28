package io.metaxy.filter;

import java.util.ArrayList;
import java.util.List;

/** Splits filter text into tokens, each with its 1-based start position for error messages. */
final class FilterLexer {
  enum Type {
    /** Bare word: identifier or keyword; {@code text} is as written. */
    WORD,
    /** Double-quoted identifier; {@code text} is the unescaped name. */
    QUOTED,
    /** Single-quoted string; {@code text} is the unescaped value. */
    STRING,
    /** Unsigned number; {@code text} is as written. */
    NUMBER,
    /** Comparison operator, normalised ({@code <>} becomes {@code !=}). */
    COMPARISON,
    /** Arithmetic or concatenation operator other than minus; never valid, kept for a clear error. */
    ARITHMETIC,
    MINUS,
    LPAREN,
    RPAREN,
    COMMA,
    DOT,
    EOF
  }

  /** A token; {@code index} is the 0-based char index of its first character. */
  record Token(Type type, String text, int index) {}

  private final String input;
  private int i;

  private FilterLexer(String input) {
    this.input = input;
  }

  static List<Token> tokenize(String input) {
    return new FilterLexer(input).run();
  }

  static boolean isIdentifierStart(char c) {
    return c == '_' || Character.isLetter(c);
  }

  static boolean isIdentifierPart(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private List<Token> run() {
    List<Token> tokens = new ArrayList<>();
    int n = input.length();
    while (true) {
      while (i < n && Character.isWhitespace(input.charAt(i))) {
        i++;
      }
      if (i >= n) {
        tokens.add(new Token(Type.EOF, "", n));
        return tokens;
      }
      int start = i;
      char c = input.charAt(i);
      if (isIdentifierStart(c)) {
        while (i < n && isIdentifierPart(input.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Type.WORD, input.substring(start, i), start));
      } else if (isAsciiDigit(c) || (c == '.' && i + 1 < n && isAsciiDigit(input.charAt(i + 1)))) {
        tokens.add(new Token(Type.NUMBER, number(), start));
      } else if (c == '\'') {
        tokens.add(new Token(Type.STRING, quoted('\'', "string literal"), start));
      } else if (c == '"') {
        String name = quoted('"', "quoted identifier");
        if (name.isEmpty()) {
          throw error(start, "empty quoted identifier");
        }
        tokens.add(new Token(Type.QUOTED, name, start));
      } else {
        tokens.add(symbol(c, start));
      }
    }
  }

  private Token symbol(char c, int start) {
    char next = i + 1 < input.length() ? input.charAt(i + 1) : '\0';
    switch (c) {
      case '(':
        i++;
        return new Token(Type.LPAREN, "(", start);
      case ')':
        i++;
        return new Token(Type.RPAREN, ")", start);
      case ',':
        i++;
        return new Token(Type.COMMA, ",", start);
      case '.':
        i++;
        return new Token(Type.DOT, ".", start);
      case '-':
        i++;
        return new Token(Type.MINUS, "-", start);
      case '=':
        i++;
        return new Token(Type.COMPARISON, "=", start);
      case '!':
        if (next == '=') {
          i += 2;
          return new Token(Type.COMPARISON, "!=", start);
        }
        throw error(start, "unexpected character '!'; did you mean '!='?");
      case '<':
        if (next == '=' || next == '>') {
          i += 2;
          return new Token(Type.COMPARISON, next == '=' ? "<=" : "!=", start);
        }
        i++;
        return new Token(Type.COMPARISON, "<", start);
      case '>':
        if (next == '=') {
          i += 2;
          return new Token(Type.COMPARISON, ">=", start);
        }
        i++;
        return new Token(Type.COMPARISON, ">", start);
      case '+':
      case '*':
      case '/':
      case '%':
        i++;
        return new Token(Type.ARITHMETIC, String.valueOf(c), start);
      case '|':
        if (next == '|') {
          i += 2;
          return new Token(Type.ARITHMETIC, "||", start);
        }
        throw error(start, "unexpected character '|'");
      default:
        throw error(start, "unexpected character '" + c + "'");
    }
  }

  /** {@code digits [. digits] [e [+-] digits]} or {@code . digits [exponent]}. */
  private String number() {
    int start = i;
    int n = input.length();
    while (i < n && isAsciiDigit(input.charAt(i))) {
      i++;
    }
    if (i < n && input.charAt(i) == '.') {
      i++;
      while (i < n && isAsciiDigit(input.charAt(i))) {
        i++;
      }
    }
    if (i < n && (input.charAt(i) == 'e' || input.charAt(i) == 'E')) {
      int e = i++;
      if (i < n && (input.charAt(i) == '+' || input.charAt(i) == '-')) {
        i++;
      }
      if (i >= n || !isAsciiDigit(input.charAt(i))) {
        throw error(e, "invalid number: exponent without digits");
      }
      while (i < n && isAsciiDigit(input.charAt(i))) {
        i++;
      }
    }
    if (i < n && isIdentifierPart(input.charAt(i))) {
      throw error(start, "invalid number '" + input.substring(start, i + 1) + "'");
    }
    return input.substring(start, i);
  }

  /** Reads a quoted token; a doubled quote character stands for itself. */
  private String quoted(char quote, String what) {
    int start = i;
    StringBuilder sb = new StringBuilder();
    i++;
    int n = input.length();
    while (true) {
      if (i >= n) {
        throw error(start, "unterminated " + what);
      }
      char c = input.charAt(i++);
      if (c == quote) {
        if (i < n && input.charAt(i) == quote) {
          sb.append(quote);
          i++;
        } else {
          return sb.toString();
        }
      } else {
        sb.append(c);
      }
    }
  }

  private FilterSyntaxException error(int index, String detail) {
    return new FilterSyntaxException(input, position(input, index), detail);
  }

  /**
   * The 1-based position of a char index as a person counts it: in code points, so an emoji before the
   * error counts once.
   */
  static int position(String input, int charIndex) {
    return input.codePointCount(0, Math.min(charIndex, input.length())) + 1;
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
