/**
 * Filter strings: the SQL {@code WHERE}-like conditions accepted by {@code read(filters)},
 * {@code FeatureDep} filters and the CLI's {@code --filter}, parsed into one expression tree
 * ({@link io.metaxy.filter.FilterExpr}) that SQL stores translate to jOOQ and the JVM engine evaluates
 * over Arrow batches ({@link io.metaxy.filter.Filters}).
 *
 * <h2>Grammar</h2>
 *
 * <pre>
 * filter     = orExpr ;
 * orExpr     = andExpr { "OR" andExpr } ;
 * andExpr    = notExpr { "AND" notExpr } ;
 * notExpr    = "NOT" notExpr | predicate ;          (* NOT a = 1  means  NOT (a = 1) *)
 * predicate  = "(" orExpr ")"
 *            | operand [ cmpOp operand ]            (* a bare operand must be boolean *)
 *            | operand "IS" [ "NOT" ] operand
 *            | operand [ "NOT" ] "IN" "(" literal { "," literal } ")" ;   (* operand: a column *)
 * cmpOp      = "=" | "!=" | "&lt;&gt;" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" ;
 * operand    = column | literal | "(" operand ")" ;
 * column     = ident { "." ident } ;                (* ONE column named "a.b", not a struct path *)
 * ident      = letter_or_underscore { letter_digit_or_underscore }   (* not a keyword *)
 *            | '"' { char | '""' } '"' ;
 * literal    = string | [ "-" ] number | "TRUE" | "FALSE" | "NULL"
 *            | "DATE" string | "TIMESTAMP" string ;
 * string     = "'" { char | "''" } "'" ;
 * number     = digits [ "." [ digits ] ] [ exponent ] | "." digits [ exponent ] ;
 * exponent   = ( "e" | "E" ) [ "+" | "-" ] digits ;
 * </pre>
 *
 * <p>Keywords are case-insensitive. These words are reserved and must be double-quoted to be used as
 * column names: {@code AND OR NOT IN IS NULL TRUE FALSE DATE TIMESTAMP BETWEEN LIKE ILIKE GLOB REGEXP
 * RLIKE SIMILAR CASE WHEN THEN ELSE END EXISTS SELECT FROM WHERE CAST ESCAPE DISTINCT ANY ALL SOME}
 * (as a bare name, {@code date} and {@code timestamp} still work unless followed by a string). SQL
 * comments are not supported. A number without a fraction or exponent is a 64-bit integer
 * ({@code Long}); any other number is a {@code Double}. An operand in parentheses, as in
 * {@code (a) = 1}, is allowed.
 *
 * <h2>Meaning</h2>
 *
 * <ul>
 *   <li>Precedence, loosest first: {@code OR}, {@code AND}, {@code NOT}, then comparisons.
 *   <li>{@code col = NULL} and {@code col IS NULL} test for null; {@code col != NULL},
 *       {@code col <> NULL} and {@code col IS NOT NULL} test for non-null (the upstream Python
 *       convention, kept for compatibility). {@code NULL} against a non-column with {@code =} or an
 *       ordering operator is an ordinary comparison and always unknown.
 *   <li>{@code x IS y} with a non-null {@code y} is null-safe equality (SQL {@code IS NOT DISTINCT
 *       FROM}): never unknown, so {@code flag IS NOT TRUE} selects rows where {@code flag} is false or
 *       null. Upstream Python maps {@code IS} to plain {@code =} instead, which drops the null rows; we
 *       follow SQL here deliberately.
 *   <li>{@code IN} needs a column on the left and literals in the list; a {@code NULL} item makes a
 *       non-matching row unknown, so {@code NOT IN (…, NULL)} selects nothing (SQL semantics).
 *   <li>Unary minus applies only to numeric literals.
 *   <li>{@code DATE '2024-01-05'} and {@code TIMESTAMP '2024-01-05T00:00:00Z'} are an extension over
 *       the upstream grammar, so that date and timestamp constants built in code print as text that
 *       parses back; a timestamp without a zone is UTC.
 * </ul>
 *
 * <p>Rejected with {@link io.metaxy.filter.FilterSyntaxException} (message: input, 1-based position,
 * what was expected): an empty or blank string, malformed syntax, {@code BETWEEN}, {@code LIKE} and
 * other pattern operators, function calls, {@code CASE}, arithmetic such as {@code a + 1 > 2}, a
 * non-column on the left of {@code IN}, a non-literal inside {@code IN (…)}, a non-boolean literal
 * used as a condition, an integer outside 64 bits, a {@code TIMESTAMP} whose UTC date-time falls outside
 * years -999999999..999999999, and nesting deeper than {@link io.metaxy.filter.Filters#MAX_NESTING_DEPTH}
 * (100) levels, where each open parenthesis and each {@code NOT} counts one level.
 */
@NullMarked
package io.metaxy.filter;

import org.jspecify.annotations.NullMarked;
