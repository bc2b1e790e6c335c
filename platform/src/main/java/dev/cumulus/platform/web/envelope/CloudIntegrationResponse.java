package dev.cumulus.platform.web.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Seed 004's success body: {@code {success:true, data, pagination?, message?}}; {@code pagination}
 * on lists ({@code {lastKey, hasMore}}) and {@code message} only where the seed shows them. Errors:
 * {@code ApiFamily}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudIntegrationResponse<T>(
    boolean success, T data, Pagination pagination, String message) {

  /** A list page: {@code lastKey} is the opaque cursor of the next page. */
  public record Pagination(String lastKey, boolean hasMore) {}

  public static <T> CloudIntegrationResponse<T> of(T data) {
    return new CloudIntegrationResponse<>(true, data, null, null);
  }

  public static <T> CloudIntegrationResponse<T> of(T data, String message) {
    return new CloudIntegrationResponse<>(true, data, null, message);
  }

  public static <T> CloudIntegrationResponse<T> page(T data, String lastKey) {
    return new CloudIntegrationResponse<>(
        true, data, new Pagination(lastKey, lastKey != null), null);
  }
}
