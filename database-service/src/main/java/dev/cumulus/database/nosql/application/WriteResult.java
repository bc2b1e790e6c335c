package dev.cumulus.database.nosql.application;

import tools.jackson.databind.JsonNode;

/** An item before and after a write (null: none), for ReturnValues. */
public record WriteResult(JsonNode old, JsonNode current) {}
