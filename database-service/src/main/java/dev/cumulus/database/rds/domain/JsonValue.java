package dev.cumulus.database.rds.domain;

/** A json/jsonb value, as its JSON text: a parameter to bind as jsonb, or a column value read. */
public record JsonValue(String json) {}
