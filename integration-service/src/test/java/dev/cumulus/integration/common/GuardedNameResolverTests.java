package dev.cumulus.integration.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The connect-time resolver: bounded lookups, and the address policy on what they return. */
class GuardedNameResolverTests {

  final Scheduler threads = Schedulers.newBoundedElastic(2, 10, "test-dns");
  final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void stop() {
    never.countDown();
    threads.dispose();
  }

  AddressResolver<InetSocketAddress> resolver(HostLookup.Resolver dns, Duration timeout) {
    return new GuardedNameResolver.Group(
            new AddressPolicy(List.of()), new HostLookup(dns, timeout, threads))
        .getResolver(ImmediateEventExecutor.INSTANCE);
  }

  @Test
  void aLookupThatNeverAnswersFailsWithinTheTimeout() throws Exception {
    AddressResolver<InetSocketAddress> resolver =
        resolver(
            host -> {
              try {
                never.await(); // a DNS server that never answers
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              throw new UnknownHostException(host);
            },
            Duration.ofMillis(200));
    long started = System.nanoTime();
    Future<InetSocketAddress> resolved =
        resolver.resolve(InetSocketAddress.createUnresolved("hangs.example", 80));
    assertThat(resolved.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(resolved.cause())
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("hangs.example did not resolve within");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void everyAddressIsStillCheckedAndAPublicOnePasses() throws Exception {
    InetAddress publicAddress = InetAddress.getByName("93.184.216.34");
    InetAddress metadata = InetAddress.getByName("169.254.169.254");
    AddressResolver<InetSocketAddress> mixed =
        resolver(host -> new InetAddress[] {publicAddress, metadata}, Duration.ofSeconds(5));
    Future<InetSocketAddress> refused =
        mixed.resolve(InetSocketAddress.createUnresolved("mixed.example", 80));
    assertThat(refused.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(refused.cause()).isInstanceOf(RefusedAddressException.class);

    AddressResolver<InetSocketAddress> good =
        resolver(host -> new InetAddress[] {publicAddress}, Duration.ofSeconds(5));
    Future<InetSocketAddress> resolved =
        good.resolve(InetSocketAddress.createUnresolved("public.example", 443));
    assertThat(resolved.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(resolved.getNow().getAddress()).isEqualTo(publicAddress);
    assertThat(resolved.getNow().getPort()).isEqualTo(443);
  }
}
