package dev.cumulus.storage.blob.domain;

/** Bytes durably stored: where, how many, and their MD5 (hex). */
public record StoredBlob(String path, long size, String md5Hex) {}
