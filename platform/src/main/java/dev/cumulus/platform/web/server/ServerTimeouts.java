package dev.cumulus.platform.web.server;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;

/**
 * How long the gateway and every service wait for a slow client ({@code cumulus.server.*}). The
 * services' keep-alive must stay longer than the gateway's pooled upstream connections idle (30 s),
 * or the gateway would reuse a connection as a service closes it.
 *
 * @param requestHeadTimeout a connection must deliver a complete request head within this of
 *     opening or of its previous response (so also the keep-alive idle limit)
 * @param bodyReadTimeout the longest pause between two reads of a request body
 */
@ConfigurationProperties("cumulus.server")
public record ServerTimeouts(
    @DefaultValue("60s") Duration requestHeadTimeout,
    @DefaultValue("60s") Duration bodyReadTimeout) {

  /** Applies both to Reactor Netty's HTTP server. */
  public NettyServerCustomizer customizer() {
    long headMillis = requestHeadTimeout.toMillis();
    return server ->
        server
            .readTimeout(bodyReadTimeout)
            .doOnChannelInit(
                (observer, channel, address) -> {
                  if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                    channel
                        .pipeline()
                        .addAfter(
                            NettyPipeline.HttpCodec,
                            RequestHeadDeadline.NAME,
                            new RequestHeadDeadline(headMillis));
                  }
                });
  }
}
