package io.metaxy.store.support;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;

/** JDBC plumbing shared by SQL adapters: jOOQ builds the SQL, values always travel as binds. */
public final class JdbcQueries {
  private JdbcQueries() {}

  /** A statement for a jOOQ query, rendered by {@code dsl} with its bind values set; the caller closes it. */
  public static PreparedStatement prepare(Connection connection, DSLContext dsl, Query q)
      throws SQLException {
    PreparedStatement ps = connection.prepareStatement(dsl.render(q));
    List<Object> binds = q.getBindValues();
    for (int i = 0; i < binds.size(); i++) {
      ps.setObject(i + 1, binds.get(i));
    }
    return ps;
  }

  /**
   * The names of the tables in one schema, sorted, from the SQL standard's {@code
   * information_schema.tables} (which DuckDB and PostgreSQL answer alike).
   *
   * @param schema the schema as an SQL expression: a value ({@code DSL.inline("main")}) or a function
   *     ({@code DSL.field("current_schema()", String.class)})
   */
  public static List<String> tableNames(Connection connection, DSLContext dsl, Field<String> schema)
      throws SQLException {
    Query q = dsl.select(field(name("table_name")))
        .from(table(name("information_schema", "tables")))
        .where(field(name("table_schema"), String.class).eq(schema))
        .orderBy(field(name("table_name")));
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(connection, dsl, q);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
