package dev.cumulus.platform.web.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that does not deliver a complete request head in time: from when it opens,
 * and from when its last response is sent (keep-alive). A client that trickles header bytes or
 * never finishes them would otherwise hold the connection (and its memory) forever; Reactor Netty's
 * own idle timeout restarts on every byte read. While a request is being served the deadline is off
 * (long polls, slow uploads: those have the body read timeout), and an upgraded connection
 * (WebSocket) leaves it for good.
 *
 * <p>One instance per connection, on its event loop: no synchronisation needed.
 */
final class RequestHeadDeadline extends ChannelDuplexHandler {

  static final String NAME = "cumulus.requestHeadDeadline";

  private final long timeoutMillis;
  private ScheduledFuture<?> timer;
  private int inFlight;

  RequestHeadDeadline(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      arm(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    arm(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      inFlight++;
      disarm();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response
        && response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
      disarm();
      ctx.pipeline().remove(this);
    } else if (msg instanceof LastHttpContent) {
      inFlight = Math.max(0, inFlight - 1);
      if (inFlight == 0) {
        arm(ctx);
      }
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    disarm();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    disarm();
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    timer = ctx.executor().schedule(() -> ctx.close(), timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
