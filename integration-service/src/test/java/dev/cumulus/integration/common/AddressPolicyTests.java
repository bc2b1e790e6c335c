package dev.cumulus.integration.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressPolicyTests {

  final AddressPolicy strict = new AddressPolicy(List.of());

  @Test
  void refusesInternalAddresses() throws Exception {
    for (String address :
        List.of(
            "127.0.0.1",
            "127.8.9.10",
            "::1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "fe80::1",
            "fd00::1",
            "fc12::1",
            "100.64.0.1",
            "0.0.0.0",
            "::",
            "224.0.0.1",
            "240.0.0.1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254")) {
      assertThat(strict.refusal(InetAddress.getByName(address))).as(address).isNotNull();
    }
  }

  @Test
  void allowsPublicAddresses() throws Exception {
    for (String address : List.of("8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "100.128.0.1")) {
      assertThat(strict.refusal(InetAddress.getByName(address))).as(address).isNull();
    }
  }

  @Test
  void allowedNetworksLiftTheRule() throws Exception {
    AddressPolicy local = new AddressPolicy(List.of("127.0.0.0/8", "::1/128", "", "10.1.0.0/16"));
    assertThat(local.refusal(InetAddress.getByName("127.0.0.3"))).isNull();
    assertThat(local.refusal(InetAddress.getByName("::1"))).isNull();
    assertThat(local.refusal(InetAddress.getByName("10.1.200.1"))).isNull();
    assertThat(local.refusal(InetAddress.getByName("10.2.0.1"))).isNotNull();
    assertThat(local.refusal(InetAddress.getByName("169.254.169.254"))).contains("link-local");
  }

  @Test
  void allowedNetworksMustBeAddressLiterals() {
    assertThatThrownBy(() -> new AddressPolicy(List.of("example.com/24")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
