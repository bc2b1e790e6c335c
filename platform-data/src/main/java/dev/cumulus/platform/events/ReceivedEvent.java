package dev.cumulus.platform.events;

import dev.cumulus.platform.context.CumulusContext;
import java.time.OffsetDateTime;
import reactor.util.context.Context;

/** A CloudEvent as a consumer sees it. {@code data} is the JSON payload. */
public record ReceivedEvent(
    String id,
    String type,
    String source,
    String subject,
    String tenantId,
    String requestId,
    OffsetDateTime time,
    String data) {

  /** Puts the event's tenant and request ids into a Reactor context, for logs and new events. */
  public Context applyTo(Context context) {
    return CumulusContext.withTenant(CumulusContext.withRequestId(context, requestId), tenantId);
  }
}
