package dev.cumulus.storage.blob.domain;

import java.nio.file.Path;

/**
 * Bytes of a blob that sit unchanged in a plain file, so a server can hand the file region to the
 * kernel ({@code sendfile}) instead of copying it through the heap.
 */
public record BlobRegion(Path file, long offset, long length) {}
