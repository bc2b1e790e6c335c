package dev.cumulus.storage.object.domain;

import java.util.List;

/** One page of a listing; {@code nextContinuationToken} is set when it is truncated. */
public record ObjectPage(
    List<StoredObject> objects, boolean truncated, String nextContinuationToken) {}
