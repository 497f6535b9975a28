package io.metaxy.store.iceberg;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.RESTCatalogProperties;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.UpdateNamespacePropertiesRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ConfigResponse;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.jspecify.annotations.Nullable;

/**
 * An Iceberg REST catalog on loopback for tests: the JDK's HTTP server routes the REST spec's
 * namespace and table endpoints to Iceberg's own server-side {@link CatalogHandlers}, over a JDBC
 * catalog in SQLite whose warehouse is a local directory. The store talks to it through Iceberg's
 * {@code RESTCatalog} client exactly as to a production REST catalog (Polaris, Nessie, Gravitino...);
 * only the routing is ours. Iceberg's own test server (iceberg-open-api's test fixtures) is not
 * served for 1.12 here, and it needs Jetty 12.
 */
final class RestCatalogServer implements AutoCloseable {
  private static final String SEPARATOR = "%1F";

  private final HttpServer http;
  private final ExecutorService pool;
  private final Catalog backend;
  private final ObjectMapper json;

  private RestCatalogServer(HttpServer http, ExecutorService pool, Catalog backend) {
    this.http = http;
    this.pool = pool;
    this.backend = backend;
    this.json = clientMapper();
  }

  /** The mapper Iceberg's REST client serializes with (package-private in Iceberg). */
  private static ObjectMapper clientMapper() {
    try {
      Method mapper =
          Class.forName("org.apache.iceberg.rest.RESTObjectMapper").getDeclaredMethod("mapper");
      mapper.setAccessible(true);
      return (ObjectMapper) mapper.invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Iceberg's RESTObjectMapper.mapper() is not there", e);
    }
  }

  /** Starts a server whose catalog keeps its database and tables under {@code dir}. */
  static RestCatalogServer start(Path dir) throws IOException {
    // The JDK server writes a response's headers and body separately; with Nagle's algorithm on,
    // the
    // body then waits for the client's delayed ACK (about 40 ms on Linux loopback) on every
    // request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    Files.createDirectories(dir);
    Map<String, String> props = new LinkedHashMap<>();
    props.put(CatalogUtil.ICEBERG_CATALOG_TYPE, CatalogUtil.ICEBERG_CATALOG_TYPE_JDBC);
    props.put(CatalogProperties.URI, "jdbc:sqlite:" + dir.resolve("rest-catalog.db"));
    props.put(CatalogProperties.WAREHOUSE_LOCATION, "file://" + dir.resolve("warehouse"));
    props.put("jdbc.busy_timeout", "30000");
    Catalog backend = CatalogUtil.buildIcebergCatalog("rest_backend", props, new Configuration());
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService pool = Executors.newCachedThreadPool();
    RestCatalogServer server = new RestCatalogServer(http, pool, backend);
    http.createContext("/", server::handle);
    http.setExecutor(pool);
    http.start();
    return server;
  }

  /** {@code http://127.0.0.1:<port>}. */
  String uri() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  /** Catalog properties of a store using this catalog. */
  Map<String, String> catalogProperties() {
    return Map.of(
        CatalogUtil.ICEBERG_CATALOG_TYPE,
        CatalogUtil.ICEBERG_CATALOG_TYPE_REST,
        CatalogProperties.URI,
        uri());
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Object response;
      try {
        response = route(ex);
      } catch (RuntimeException e) {
        int code = status(e);
        response = ErrorResponse.builder()
            .responseCode(code)
            .withType(e.getClass().getSimpleName())
            .withMessage(String.valueOf(e.getMessage()))
            .build();
        send(ex, code, response);
        return;
      }
      send(ex, response == null ? 204 : 200, response);
    }
  }

  private @Nullable Object route(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String[] p = Arrays.stream(ex.getRequestURI().getRawPath().split("/"))
        .filter(s -> !s.isEmpty())
        .toArray(String[]::new);
    if (p.length < 2 || !p[0].equals("v1")) {
      throw new NotFoundException("no route for %s %s", method, ex.getRequestURI());
    }
    SupportsNamespaces namespaces = (SupportsNamespaces) backend;
    if (p.length == 2 && p[1].equals("config")) {
      return ConfigResponse.builder().build();
    }
    if (!p[1].equals("namespaces")) {
      throw new NotFoundException("no route for %s %s", method, ex.getRequestURI());
    }
    if (p.length == 2) {
      return method.equals("POST")
          ? CatalogHandlers.createNamespace(namespaces, read(ex, CreateNamespaceRequest.class))
          : CatalogHandlers.listNamespaces(namespaces, Namespace.empty());
    }
    Namespace ns = RESTUtil.decodeNamespace(p[2], SEPARATOR);
    if (p.length == 3) {
      switch (method) {
        case "HEAD" -> CatalogHandlers.namespaceExists(namespaces, ns);
        case "DELETE" -> CatalogHandlers.dropNamespace(namespaces, ns);
        default -> {
          return CatalogHandlers.loadNamespace(namespaces, ns);
        }
      }
      return null;
    }
    if (p.length == 4 && p[3].equals("properties")) {
      return CatalogHandlers.updateNamespaceProperties(
          namespaces, ns, read(ex, UpdateNamespacePropertiesRequest.class));
    }
    if (!p[3].equals("tables")) {
      throw new NotFoundException("no route for %s %s", method, ex.getRequestURI());
    }
    if (p.length == 4) {
      if (method.equals("POST")) {
        CreateTableRequest req = read(ex, CreateTableRequest.class);
        return req.stageCreate()
            ? CatalogHandlers.stageTableCreate(backend, ns, req)
            : CatalogHandlers.createTable(backend, ns, req);
      }
      return CatalogHandlers.listTables(backend, ns);
    }
    TableIdentifier id = TableIdentifier.of(ns, RESTUtil.decodeString(p[4]));
    if (p.length == 6 && p[5].equals("metrics")) {
      ex.getRequestBody().readAllBytes();
      return null;
    }
    switch (method) {
      case "HEAD" -> CatalogHandlers.tableExists(backend, id);
      case "DELETE" -> {
        String query = ex.getRequestURI().getRawQuery();
        if (query != null && query.contains("purgeRequested=true")) {
          CatalogHandlers.purgeTable(backend, id);
        } else {
          CatalogHandlers.dropTable(backend, id);
        }
      }
      case "POST" -> {
        return CatalogHandlers.updateTable(backend, id, read(ex, UpdateTableRequest.class));
      }
      default -> {
        return CatalogHandlers.loadTable(backend, id, RESTCatalogProperties.SnapshotMode.ALL);
      }
    }
    return null;
  }

  /** The REST spec's status for an exception, as Iceberg's client maps them back. */
  private static int status(RuntimeException e) {
    if (e instanceof NoSuchNamespaceException
        || e instanceof NoSuchTableException
        || e instanceof NotFoundException) {
      return 404;
    }
    if (e instanceof AlreadyExistsException
        || e instanceof CommitFailedException
        || e instanceof NamespaceNotEmptyException) {
      return 409;
    }
    if (e instanceof ValidationException || e instanceof IllegalArgumentException) {
      return 400;
    }
    if (e instanceof UnsupportedOperationException) {
      return 406;
    }
    if (e instanceof CommitStateUnknownException) {
      return 500;
    }
    return 500;
  }

  private <T> T read(HttpExchange ex, Class<T> type) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      return json.readValue(in, type);
    }
  }

  private void send(HttpExchange ex, int code, @Nullable Object body) throws IOException {
    if (body == null || ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(code, -1);
      return;
    }
    byte[] bytes = json.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() throws Exception {
    http.stop(0);
    pool.shutdownNow();
    if (backend instanceof AutoCloseable c) {
      c.close();
    }
  }
}
