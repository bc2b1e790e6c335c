package dev.cumulus.storage.object.application;

import java.util.Map;

/** Content type and user metadata of an object. */
public record ObjectMetadata(String contentType, Map<String, String> userMetadata) {}
