package dev.cumulus.storage.quota.application;

import dev.cumulus.platform.db.SqlStates;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.common.StorageErrors;
import io.r2dbc.spi.R2dbcException;

/**
 * The refusals of storage quotas, with S3's codes (the seed API shows them in its envelope, the S3
 * API as XML), and the SQLSTATEs the usage triggers raise them with (migration V10).
 */
public final class QuotaErrors {

  static final String TOO_MANY_BUCKETS_STATE = "CQ001";
  static final String STORED_BYTES_STATE = "CQ002";

  private QuotaErrors() {}

  public static ApiException tooManyBuckets(long limit) {
    return StorageErrors.of(
        ErrorKind.BAD_REQUEST,
        "TooManyBuckets",
        "You have attempted to create more buckets than allowed",
        "Your plan allows " + limit + " buckets; delete some, or ask to raise 'buckets'");
  }

  public static ApiException storedBytesExceeded(long limit) {
    return StorageErrors.of(
        ErrorKind.FORBIDDEN,
        "QuotaExceeded",
        "Your storage quota is exceeded",
        "Your plan allows "
            + limit
            + " stored bytes; delete objects or versions, or ask to raise 'stored_bytes'");
  }

  public static ApiException entityTooLarge(long max) {
    return StorageErrors.of(
        ErrorKind.BAD_REQUEST,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed object size.",
        "At most " + max + " bytes per object ('max_object_bytes')");
  }

  static ApiException unavailable() {
    return StorageErrors.of(
        ErrorKind.SERVICE_UNAVAILABLE,
        "ServiceUnavailable",
        "Storage quotas cannot be checked right now; retry shortly",
        null);
  }

  /** A usage trigger's refusal as its API error; any other error as it is. */
  public static Throwable translate(Throwable error) {
    String state = SqlStates.of(error);
    if (TOO_MANY_BUCKETS_STATE.equals(state)) {
      return tooManyBuckets(limitIn(error));
    }
    if (STORED_BYTES_STATE.equals(state)) {
      return storedBytesExceeded(limitIn(error));
    }
    return error;
  }

  /** The limit, which the trigger raises as its message. */
  private static long limitIn(Throwable error) {
    for (Throwable e = error; e != null && e.getCause() != e; e = e.getCause()) {
      if (e instanceof R2dbcException r2dbc && r2dbc.getSqlState() != null) {
        try {
          return Long.parseLong(r2dbc.getMessage().trim());
        } catch (NumberFormatException | NullPointerException notANumber) {
          return 0;
        }
      }
    }
    return 0;
  }
}
