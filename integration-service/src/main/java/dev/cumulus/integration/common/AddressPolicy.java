package dev.cumulus.integration.common;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which addresses a webhook may reach (SSRF protection): not loopback, link-local (which holds the
 * cloud metadata address 169.254.169.254), private (RFC 1918, IPv6 unique-local), shared (CGNAT),
 * unspecified or multicast, unless an allowed network contains the address.
 */
public final class AddressPolicy {

  private final List<Cidr> allowed;

  public AddressPolicy(List<String> allowedNetworks) {
    this.allowed = allowedNetworks.stream().filter(n -> !n.isBlank()).map(Cidr::parse).toList();
  }

  /** Null when the address may be reached, else why not. */
  public String refusal(InetAddress address) {
    InetAddress plain = unmapped(address);
    if (allowed.stream().anyMatch(cidr -> cidr.contains(plain))) {
      return null;
    }
    String kind = forbiddenKind(plain);
    return kind == null ? null : plain.getHostAddress() + " is a " + kind + " address";
  }

  private static String forbiddenKind(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return "loopback";
    }
    if (a.isLinkLocalAddress()) {
      return "link-local (metadata)";
    }
    if (a.isSiteLocalAddress()) {
      return "private";
    }
    if (a.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (a.isMulticastAddress()) {
      return "multicast";
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 100 && second >= 64 && second < 128) {
        return "shared (CGNAT)";
      }
      if (first == 0 || first >= 240) {
        return "reserved";
      }
    }
    if (a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
      return "private (unique-local)";
    }
    return null;
  }

  /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it carries. */
  private static InetAddress unmapped(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 16) {
      boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = b[i] == 0;
      }
      if (mapped) {
        try {
          return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException impossible) {
          throw new IllegalStateException(impossible);
        }
      }
    }
    return address;
  }

  record Cidr(byte[] network, int prefix) {
    static Cidr parse(String text) {
      String[] parts = text.trim().split("/", 2);
      if (!parts[0].matches("[0-9a-fA-F.:]+")) {
        throw new IllegalArgumentException("Not a CIDR (an address literal is needed): " + text);
      }
      try {
        // A literal: no name lookup happens.
        byte[] network = InetAddress.getByName(parts[0]).getAddress();
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
        return new Cidr(network, prefix);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("Not a CIDR: " + text, e);
      }
    }

    boolean contains(InetAddress address) {
      byte[] b = address.getAddress();
      if (b.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >> (bit % 8);
        if ((b[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
