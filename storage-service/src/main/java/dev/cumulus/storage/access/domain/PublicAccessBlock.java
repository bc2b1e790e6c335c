package dev.cumulus.storage.access.domain;

/** A bucket's PublicAccessBlock configuration; {@link #NONE} when it has none. */
public record PublicAccessBlock(
    boolean blockPublicAcls,
    boolean ignorePublicAcls,
    boolean blockPublicPolicy,
    boolean restrictPublicBuckets) {

  public static final PublicAccessBlock NONE = new PublicAccessBlock(false, false, false, false);
}
