package dev.cumulus.updater.container.domain;

import java.util.Set;

/**
 * Seed 002's list filters; null means "any".
 *
 * @param sortBy a column name, already checked against the allowed ones
 */
public record ContainerFilter(
    String status,
    String name,
    String image,
    String search,
    String updatePolicy,
    Boolean hasUpdate,
    String sortBy,
    boolean ascending,
    int page,
    int limit) {

  /** Sort keys a caller may name (they are column names: never interpolate anything else). */
  public static final Set<String> SORTABLE =
      Set.of("updated_at", "created_at", "name", "image", "status", "id");
}
