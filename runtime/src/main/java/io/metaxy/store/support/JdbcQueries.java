package io.metaxy.store.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Query;

/** JDBC plumbing shared by SQL adapters: jOOQ builds the SQL, values always travel as binds. */
public final class JdbcQueries {
  private JdbcQueries() {}

  /** A statement for a jOOQ query, rendered by {@code dsl} with its bind values set; the caller closes it. */
  public static PreparedStatement prepare(Connection connection, DSLContext dsl, Query q) throws SQLException {
    PreparedStatement ps = connection.prepareStatement(dsl.render(q));
    List<Object> binds = q.getBindValues();
    for (int i = 0; i < binds.size(); i++) {
      ps.setObject(i + 1, binds.get(i));
    }
    return ps;
  }
}
