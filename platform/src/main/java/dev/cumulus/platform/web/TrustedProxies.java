package dev.cumulus.platform.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The proxies whose {@code X-Forwarded-For} is believed ({@code cumulus.security.trusted-proxies}:
 * addresses and CIDR ranges). Anyone else could write any address there, and so spoof per-IP login
 * locks and audit entries; from them the TCP peer is the client.
 */
public final class TrustedProxies {

  // Address literals only: a host name here would cost a DNS lookup and could change under us.
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

  private record Range(byte[] network, int prefixLength) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int fullBytes = prefixLength / 8;
      for (int i = 0; i < fullBytes; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int restBits = prefixLength % 8;
      if (restBits == 0) {
        return true;
      }
      int mask = (0xFF << (8 - restBits)) & 0xFF;
      return (address[fullBytes] & mask) == (network[fullBytes] & mask);
    }
  }

  private final List<Range> ranges;

  private TrustedProxies(List<Range> ranges) {
    this.ranges = ranges;
  }

  /** From entries such as {@code 127.0.0.1}, {@code 10.0.0.0/8} or {@code ::1}. */
  public static TrustedProxies of(List<String> entries) {
    return new TrustedProxies(entries.stream().map(TrustedProxies::range).toList());
  }

  public boolean trusts(InetAddress address) {
    byte[] bytes = address.getAddress();
    return ranges.stream().anyMatch(range -> range.contains(bytes));
  }

  /**
   * The client's address: from a trusted proxy, the right-most {@code X-Forwarded-For} entry (the
   * one that proxy appended; the gateway writes exactly one); otherwise the TCP peer. Null when
   * neither is known.
   */
  public String clientAddress(ServerHttpRequest request) {
    InetSocketAddress peer = request.getRemoteAddress();
    InetAddress peerAddress = peer == null ? null : peer.getAddress();
    if (peerAddress != null && trusts(peerAddress)) {
      String forwarded = request.getHeaders().getFirst("X-Forwarded-For");
      if (forwarded != null) {
        String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
        if (LITERAL.matcher(last).matches()) {
          return last;
        }
      }
    }
    if (peerAddress != null) {
      return peerAddress.getHostAddress();
    }
    return peer == null ? null : peer.getHostString();
  }

  private static Range range(String entry) {
    String text = entry.trim();
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    if (!LITERAL.matcher(address).matches()) {
      throw new IllegalArgumentException("Not an IP address or CIDR range: '" + entry + "'");
    }
    try {
      byte[] network = InetAddress.getByName(address).getAddress();
      int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
      if (prefix < 0 || prefix > network.length * 8) {
        throw new IllegalArgumentException("Prefix length out of range: '" + entry + "'");
      }
      return new Range(network, prefix);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("Not an IP address or CIDR range: '" + entry + "'", e);
    }
  }
}
