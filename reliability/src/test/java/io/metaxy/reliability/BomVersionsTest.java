package io.metaxy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * metaxy-bom does not inherit metaxy-parent (users import it without our build), so it repeats the
 * parent's versions of the libraries our artifacts expose. This keeps the two copies equal: a user
 * importing the BOM gets exactly the versions our build compiled and tested against.
 */
class BomVersionsTest {

  /** The parent's properties the BOM must carry, with the same values. */
  private static final List<String> EXPOSED = List.of(
      "jackson.version",
      "arrow.version",
      "jooq.version",
      "duckdb.version",
      "postgresql.version",
      "slf4j.version");

  @Test
  void bomPinsTheParentsVersions() throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    Element parent = read(root.resolve("pom.xml"));
    Element bom = read(root.resolve("bom/pom.xml"));

    assertEquals(child(parent, "version"), child(bom, "version"), "metaxy-bom's version");
    Map<String, String> parentProps = properties(parent);
    Map<String, String> bomProps = properties(bom);
    for (String name : EXPOSED) {
      assertTrue(parentProps.containsKey(name), "the parent pom has no <" + name + ">");
      assertEquals(
          parentProps.get(name),
          bomProps.get(name),
          "<" + name
              + "> in bom/pom.xml must equal the parent pom's, which the build is tested with");
    }
    for (String name : bomProps.keySet()) {
      assertEquals(
          parentProps.get(name),
          bomProps.get(name),
          "bom/pom.xml's <" + name + "> differs from the parent pom's");
    }
  }

  private static Element read(Path pom) throws Exception {
    assertTrue(Files.isRegularFile(pom), pom + " not found (the test runs from reliability/)");
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(pom.toFile())
        .getDocumentElement();
  }

  private static String child(Element e, String name) {
    NodeList nodes = e.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element c && c.getTagName().equals(name)) {
        return c.getTextContent().trim();
      }
    }
    return null;
  }

  private static Map<String, String> properties(Element project) {
    Map<String, String> props = new LinkedHashMap<>();
    NodeList nodes = project.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element p && p.getTagName().equals("properties")) {
        NodeList kids = p.getChildNodes();
        for (int j = 0; j < kids.getLength(); j++) {
          if (kids.item(j) instanceof Element prop) {
            props.put(prop.getTagName(), prop.getTextContent().trim());
          }
        }
      }
    }
    return props;
  }
}
