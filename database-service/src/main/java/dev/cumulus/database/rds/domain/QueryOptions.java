package dev.cumulus.database.rds.domain;

/**
 * How to run one statement.
 *
 * @param readOnly run it in a READ ONLY transaction
 * @param maxRows return at most this many rows
 * @param maxResponseBytes stop adding rows once their values take about this many bytes
 */
public record QueryOptions(boolean readOnly, int maxRows, int maxResponseBytes) {}
