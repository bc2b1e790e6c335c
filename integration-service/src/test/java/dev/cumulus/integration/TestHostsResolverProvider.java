package dev.cumulus.integration;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Test DNS: names under {@code .ssrf.test} resolve to the addresses an attacker would point them at
 * (loopback, private, metadata), {@code receiver.ssrf.test} to the allowed local receiver; any
 * other name goes to the JVM's own resolver. Installed for the whole test JVM through {@code
 * META-INF/services}, so the service's own lookups see it exactly as they would see DNS.
 */
public class TestHostsResolverProvider extends InetAddressResolverProvider {

  static final Map<String, String> HOSTS =
      Map.of(
          "loopback.ssrf.test", "127.0.0.1",
          "private.ssrf.test", "10.20.30.40",
          "metadata.ssrf.test", "169.254.169.254",
          "mixed.ssrf.test", "127.0.0.3",
          "receiver.ssrf.test", "127.0.0.3");

  @Override
  public InetAddressResolver get(Configuration configuration) {
    InetAddressResolver builtin = configuration.builtinResolver();
    return new InetAddressResolver() {
      @Override
      public Stream<InetAddress> lookupByName(String host, LookupPolicy policy)
          throws UnknownHostException {
        String address = HOSTS.get(host.toLowerCase(java.util.Locale.ROOT));
        if (address == null) {
          return builtin.lookupByName(host, policy);
        }
        Stream<InetAddress> first = Stream.of(InetAddress.getByAddress(host, bytes(address)));
        // mixed: the allowed receiver and, behind it, a private address
        return host.startsWith("mixed")
            ? Stream.concat(first, Stream.of(InetAddress.getByAddress(host, bytes("10.0.0.1"))))
            : first;
      }

      @Override
      public String lookupByAddress(byte[] addr) throws UnknownHostException {
        return builtin.lookupByAddress(addr);
      }
    };
  }

  private static byte[] bytes(String dotted) {
    String[] parts = dotted.split("\\.");
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      b[i] = (byte) Integer.parseInt(parts[i]);
    }
    return b;
  }

  @Override
  public String name() {
    return "cumulus-test-hosts";
  }
}
