package dev.cumulus.storage.object.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.blob.encryption.CustomerKey;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.object.domain.StoredObject;

/**
 * Whether a request may read (or copy, or write a part under) what a key the client holds sealed
 * (S3's SSE-C), decided from the stored fingerprint before any byte is read or sent, as S3 answers.
 */
public final class CustomerKeys {

  private CustomerKeys() {}

  /**
   * @param key the key the request brought, null for none
   * @throws ApiException 400 InvalidRequest when an SSE-C object is read without its key or another
   *     object with one; 403 AccessDenied when the key is not the object's
   */
  public static void check(StoredObject object, CustomerKey key) {
    check(object.customerKey(), key);
  }

  /** The same for anything that keeps a key fingerprint (null: not sealed by the client). */
  public static void check(byte[] fingerprint, CustomerKey key) {
    if (fingerprint == null) {
      if (key != null) {
        throw StorageErrors.of(
            ErrorKind.BAD_REQUEST,
            "InvalidRequest",
            "The encryption parameters are not applicable to this object.",
            null);
      }
      return;
    }
    if (key == null) {
      throw StorageErrors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidRequest",
          "The object was stored using a form of Server Side Encryption. The correct parameters"
              + " must be provided to retrieve the object.",
          null);
    }
    if (!key.matches(fingerprint)) {
      throw StorageErrors.of(ErrorKind.FORBIDDEN, "AccessDenied", "Access Denied", null);
    }
  }
}
