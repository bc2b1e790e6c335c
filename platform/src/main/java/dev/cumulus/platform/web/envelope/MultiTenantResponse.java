package dev.cumulus.platform.web.envelope;

import java.util.List;

/**
 * Seed 003's success body: {@code {status:"success", message, data}}. Errors: {@code ApiFamily}.
 */
public record MultiTenantResponse<T>(String status, String message, T data) {

  /** Seed 003's lists: {@code data: {results: [...]}}. */
  public record Results<T>(List<T> results) {}

  public static <T> MultiTenantResponse<T> success(String message, T data) {
    return new MultiTenantResponse<>("success", message, data);
  }

  public static <T> MultiTenantResponse<Results<T>> results(List<? extends T> results) {
    return success("Success", new Results<>(List.copyOf(results)));
  }
}
