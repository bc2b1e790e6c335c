package dev.cumulus.integration.mail.domain;

/**
 * The notification e-mail: subject, plain text and HTML, with the brand (name, colour, logo,
 * footer) and the tenant's domain. Every inserted value is HTML-escaped.
 */
public final class MailTemplate {

  private MailTemplate() {}

  public record Brand(String productName, String primaryColor, String logoUrl, String footer) {}

  public record Rendered(String subject, String text, String html) {}

  public static Rendered render(
      Brand brand, String tenantDomain, String title, String message, String level) {
    String subject = "[" + brand.productName() + "] " + title;
    String text =
        title
            + "\n\n"
            + message
            + "\n\n-- \n"
            + brand.productName()
            + " ("
            + tenantDomain
            + ")\n"
            + brand.footer()
            + "\n";
    String logo =
        brand.logoUrl().isBlank()
            ? ""
            : "<img src=\"" + escape(brand.logoUrl()) + "\" alt=\"\" height=\"32\"><br>";
    String color =
        brand.primaryColor().matches("#[0-9a-fA-F]{3,8}") ? brand.primaryColor() : "#2563eb";
    String html =
        "<!doctype html><html><body style=\"font-family:sans-serif\">"
            + logo
            + "<h2 style=\"color:"
            + color
            + "\">"
            + escape(title)
            + "</h2>"
            + "<p data-level=\""
            + escape(level)
            + "\">"
            + escape(message)
            + "</p>"
            + "<hr><p style=\"color:#666;font-size:12px\">"
            + escape(brand.productName())
            + " &middot; "
            + escape(tenantDomain)
            + "<br>"
            + escape(brand.footer())
            + "</p>"
            + "</body></html>";
    return new Rendered(subject, text, html);
  }

  static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
