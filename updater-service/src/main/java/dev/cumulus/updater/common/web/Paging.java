package dev.cumulus.updater.common.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cumulus.platform.error.ApiException;
import java.util.List;

/** Seed 002's page: {@code {items, pagination:{page, limit, total, pages, has_next, has_prev}}}. */
public record Paging<T>(List<T> items, Pagination pagination) {

  public static final int MAX_LIMIT = 100;

  public record Pagination(
      int page,
      int limit,
      long total,
      long pages,
      @JsonProperty("has_next") boolean hasNext,
      @JsonProperty("has_prev") boolean hasPrev) {}

  public static <T> Paging<T> of(List<T> items, int page, int limit, long total) {
    long pages = total == 0 ? 0 : (total + limit - 1) / limit;
    return new Paging<>(items, new Pagination(page, limit, total, pages, page < pages, page > 1));
  }

  /** Checks seed 002's page and limit (page ≥ 1, 1 ≤ limit ≤ 100). */
  public static void check(int page, int limit) {
    if (page < 1) {
      throw ApiException.badRequest("page must be 1 or more");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT);
    }
  }
}
