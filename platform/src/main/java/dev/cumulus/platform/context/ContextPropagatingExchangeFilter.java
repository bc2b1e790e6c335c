package dev.cumulus.platform.context;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/** Adds the current request id and tenant id to every outgoing WebClient request. */
public class ContextPropagatingExchangeFilter implements ExchangeFilterFunction {

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    return Mono.deferContextual(
        context -> {
          ClientRequest.Builder builder = ClientRequest.from(request);
          CumulusContext.requestId(context)
              .ifPresent(id -> builder.header(CumulusContext.REQUEST_ID_HEADER, id));
          CumulusContext.tenantId(context)
              .ifPresent(id -> builder.header(CumulusContext.TENANT_ID_HEADER, id));
          return next.exchange(builder.build());
        });
  }
}
