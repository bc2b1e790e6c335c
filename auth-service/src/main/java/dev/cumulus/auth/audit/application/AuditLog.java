package dev.cumulus.auth.audit.application;

import dev.cumulus.auth.audit.domain.AuditAction;
import dev.cumulus.auth.audit.domain.AuditCursor;
import dev.cumulus.auth.audit.domain.AuditEntry;
import dev.cumulus.auth.audit.domain.AuditPage;
import dev.cumulus.auth.audit.domain.AuditQuery;
import dev.cumulus.auth.audit.persistence.AuditRepository;
import dev.cumulus.auth.common.application.ClientIp;
import dev.cumulus.auth.common.domain.Actor;
import dev.cumulus.platform.context.CumulusContext;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Writes the audit trail. Call {@link #record} inside the transaction of the write it describes, so
 * the entry exists exactly when the change does. The client IP and request id come from the Reactor
 * context of the request.
 */
@Service
public class AuditLog {

  /** Resource types as they appear in {@code resource_type}. */
  public static final String USER = "USER";

  public static final String TENANT = "TENANT";
  public static final String ORGANIZATION = "ORGANIZATION";
  public static final String API_KEY = "API_KEY";
  public static final String S3_CREDENTIAL = "S3_CREDENTIAL";
  public static final String SERVICE_INSTANCE = "SERVICE_INSTANCE";
  public static final String SESSION = "SESSION";
  public static final String SIGNING_KEY = "SIGNING_KEY";

  private final AuditRepository repository;

  public AuditLog(AuditRepository repository) {
    this.repository = repository;
  }

  public Mono<Void> record(
      String tenantId,
      Actor actor,
      AuditAction action,
      String resourceType,
      String resourceId,
      Map<String, Object> changes) {
    return Mono.deferContextual(
        context ->
            repository.insert(
                tenantId,
                actor,
                action,
                resourceType,
                resourceId,
                changes,
                context.<String>getOrEmpty(ClientIp.KEY).orElse(null),
                CumulusContext.requestId(context).orElse(null)));
  }

  /** One page of the trail; one row more than asked says whether another page follows. */
  public Mono<AuditPage> page(AuditQuery query) {
    return repository
        .find(query, query.limit() + 1)
        .collectList()
        .map(
            rows -> {
              if (rows.size() <= query.limit()) {
                return new AuditPage(rows, null);
              }
              List<AuditEntry> page = rows.subList(0, query.limit());
              return new AuditPage(List.copyOf(page), AuditCursor.after(page.getLast()));
            });
  }
}
