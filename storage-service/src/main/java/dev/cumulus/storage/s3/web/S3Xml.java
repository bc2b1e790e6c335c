package dev.cumulus.storage.s3.web;

import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * S3's XML, written by hand (the shapes are small and fixed) and read with StAX with DTDs and
 * external entities off (XXE).
 */
final class S3Xml {

  static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
  private static final XMLInputFactory INPUT = XMLInputFactory.newFactory();

  static {
    INPUT.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    INPUT.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    INPUT.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
  }

  private final StringBuilder out = new StringBuilder(512);

  private S3Xml() {
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  }

  /** A document whose root element carries S3's namespace. */
  static S3Xml document(String root) {
    S3Xml xml = new S3Xml();
    xml.out.append('<').append(root).append(" xmlns=\"").append(NAMESPACE).append("\">");
    return xml;
  }

  /** A document without namespace (S3's error bodies have none). */
  static S3Xml plain(String root) {
    S3Xml xml = new S3Xml();
    xml.out.append('<').append(root).append('>');
    return xml;
  }

  S3Xml open(String element) {
    out.append('<').append(element).append('>');
    return this;
  }

  /** An element with attributes, given as written ({@code xmlns:xsi="..." xsi:type="..."}). */
  S3Xml open(String element, String attributes) {
    out.append('<').append(element).append(' ').append(attributes).append('>');
    return this;
  }

  S3Xml close(String element) {
    out.append("</").append(element).append('>');
    return this;
  }

  /** An element with text; nothing when the value is null. */
  S3Xml element(String element, Object value) {
    if (value != null) {
      out.append('<').append(element).append('>');
      escape(value.toString());
      out.append("</").append(element).append('>');
    }
    return this;
  }

  /** Text directly inside the current element. */
  S3Xml text(String value) {
    escape(value);
    return this;
  }

  String end(String root) {
    close(root);
    return out.toString();
  }

  static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  private void escape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out.append("&#").append((int) c).append(';');
          } else {
            out.append(c);
          }
        }
      }
    }
  }

  /** The text of every element with this local name, in document order. */
  static List<String> texts(String xml, String element) {
    return elements(xml, element).stream().map(e -> e.text(element)).toList();
  }

  /** A flat element: the text of its direct children by name. */
  record Element(java.util.Map<String, String> children) {
    String text(String name) {
      return children.get(name);
    }
  }

  /**
   * Every {@code <element>} with its direct children's texts ({@code <Object><Key>a</Key>...}); a
   * leaf element maps its own name to its text.
   */
  static List<Element> elements(String xml, String element) {
    List<Element> found = new ArrayList<>();
    try {
      XMLStreamReader reader = INPUT.createXMLStreamReader(new StringReader(xml));
      java.util.Map<String, String> current = null;
      int depth = 0;
      StringBuilder text = new StringBuilder();
      while (reader.hasNext()) {
        int event = reader.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          String name = localName(reader.getLocalName());
          if (current == null && name.equals(element)) {
            current = new java.util.LinkedHashMap<>();
            depth = 0;
          } else if (current != null) {
            depth++;
          }
          text.setLength(0);
        } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
          text.append(reader.getText());
        } else if (event == XMLStreamConstants.END_ELEMENT && current != null) {
          String name = localName(reader.getLocalName());
          if (depth == 0) {
            if (current.isEmpty()) {
              current.put(name, text.toString());
            }
            found.add(new Element(current));
            current = null;
          } else {
            if (depth == 1) {
              current.put(name, text.toString());
            }
            depth--;
          }
          text.setLength(0);
        }
      }
      return found;
    } catch (XMLStreamException e) {
      throw malformed(e.getMessage());
    }
  }

  /** S3's answer to XML that is not well-formed or not of the expected shape. */
  static RuntimeException malformed(String details) {
    return S3ErrorCode.MALFORMED_XML.error(details);
  }

  /** An element of a nested document (lifecycle and CORS rules nest several levels). */
  record Node(String name, String text, List<Node> children) {

    List<Node> all(String child) {
      return children.stream().filter(c -> c.name.equals(child)).toList();
    }

    /** The only child of that name, or null; MalformedXML when it repeats. */
    Node one(String child) {
      List<Node> found = all(child);
      if (found.size() > 1) {
        throw malformed("<" + child + "> may appear once in <" + name + ">");
      }
      return found.isEmpty() ? null : found.get(0);
    }

    /** The (trimmed) text of the only child of that name, or null. */
    String text(String child) {
      Node found = one(child);
      return found == null ? null : found.text;
    }

    List<String> texts(String child) {
      return all(child).stream().map(Node::text).toList();
    }
  }

  /** The whole document as a tree of elements (namespaces dropped, texts trimmed). */
  static Node tree(String xml) {
    record Open(String name, StringBuilder text, List<Node> children) {}
    try {
      XMLStreamReader reader = INPUT.createXMLStreamReader(new StringReader(xml));
      java.util.Deque<Open> open = new java.util.ArrayDeque<>();
      Node root = null;
      while (reader.hasNext()) {
        int event = reader.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          open.push(
              new Open(localName(reader.getLocalName()), new StringBuilder(), new ArrayList<>()));
        } else if ((event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)
            && !open.isEmpty()) {
          open.peek().text().append(reader.getText());
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          Open done = open.pop();
          Node node =
              new Node(done.name(), done.text().toString().strip(), List.copyOf(done.children()));
          if (open.isEmpty()) {
            root = node;
          } else {
            open.peek().children().add(node);
          }
        }
      }
      if (root == null) {
        throw malformed("empty document");
      }
      return root;
    } catch (XMLStreamException e) {
      throw malformed(e.getMessage());
    }
  }

  private static String localName(String name) {
    int colon = name.indexOf(':');
    return colon < 0 ? name : name.substring(colon + 1);
  }
}
