package dev.cumulus.integration.common;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The name resolver of outbound HTTP: a bounded {@link HostLookup} (the JVM's resolver off the
 * event loop, with a timeout), then every address checked against the {@link AddressPolicy}. The
 * check happens on the addresses the connection is then made to, so a name that resolves to a
 * private address at connect time (DNS rebinding, a redirect's host) is refused as well.
 */
final class GuardedNameResolver extends InetNameResolver {

  private final AddressPolicy policy;
  private final HostLookup lookups;

  GuardedNameResolver(EventExecutor executor, AddressPolicy policy, HostLookup lookups) {
    super(executor);
    this.policy = policy;
    this.lookups = lookups;
  }

  @Override
  protected void doResolve(String host, Promise<InetAddress> promise) {
    lookup(host).subscribe(all -> promise.trySuccess(all.getFirst()), promise::tryFailure);
  }

  @Override
  protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
    lookup(host).subscribe(promise::trySuccess, promise::tryFailure);
  }

  private Mono<List<InetAddress>> lookup(String host) {
    return lookups
        .addresses(host)
        .flatMap(
            addresses -> {
              for (InetAddress address : addresses) {
                String refusal = policy.refusal(address);
                if (refusal != null) {
                  return Mono.error(new RefusedAddressException(host + ": " + refusal));
                }
              }
              return Mono.just(addresses);
            });
  }

  /** The group Reactor Netty asks for a resolver per event loop. */
  static final class Group extends AddressResolverGroup<InetSocketAddress> {
    private final AddressPolicy policy;
    private final HostLookup lookups;

    Group(AddressPolicy policy, HostLookup lookups) {
      this.policy = policy;
      this.lookups = lookups;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
      return new GuardedNameResolver(executor, policy, lookups).asAddressResolver();
    }
  }
}
