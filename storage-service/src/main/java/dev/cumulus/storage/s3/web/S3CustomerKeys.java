package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.blob.encryption.CustomerKey;
import dev.cumulus.storage.common.StorageErrors;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.springframework.http.HttpHeaders;

/**
 * S3's SSE-C request headers: the client's own AES-256 key with each request ({@code
 * x-amz-server-side-encryption-customer-algorithm/-key/-key-MD5}, and the {@code
 * x-amz-copy-source-} ones for a copy's source), checked as S3 checks them before any byte is read.
 *
 * <p>S3 takes SSE-C only over HTTPS, since the key travels in the request. So does this endpoint by
 * default ({@code cumulus.storage.s3.sse-c-requires-https}), counting a request as HTTPS when it
 * arrived over TLS or a proxy says so in {@code X-Forwarded-Proto: https} (the gateway terminating
 * TLS). That header is not authenticated: a client that lies about it exposes only its own key.
 * Turn the check off only where the hop to the gateway is already private.
 */
final class S3CustomerKeys {

  static final String PREFIX = "x-amz-server-side-encryption-customer-";
  static final String COPY_SOURCE_PREFIX = "x-amz-copy-source-server-side-encryption-customer-";
  static final String ALGORITHM = PREFIX + "algorithm";
  static final String KEY_MD5 = PREFIX + "key-MD5";

  private final boolean requireHttps;

  S3CustomerKeys(boolean requireHttps) {
    this.requireHttps = requireHttps;
  }

  /**
   * The key a request seals (or opens) its object with; null when it names none.
   *
   * @throws dev.cumulus.platform.error.ApiException as S3 answers a malformed or insecure one, or
   *     one sent together with {@code x-amz-server-side-encryption}
   */
  CustomerKey of(S3Call call) {
    CustomerKey key = parse(call, PREFIX);
    if (key != null && call.header(S3EncryptionOperations.HEADER) != null) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "Server Side Encryption with Customer provided key is incompatible with the encryption"
              + " method specified",
          S3EncryptionOperations.HEADER);
    }
    return key;
  }

  /** The key that opens a copy's source ({@code x-amz-copy-source-...}); null for none. */
  CustomerKey ofCopySource(S3Call call) {
    return parse(call, COPY_SOURCE_PREFIX);
  }

  private CustomerKey parse(S3Call call, String prefix) {
    String algorithm = call.header(prefix + "algorithm");
    String key = call.header(prefix + "key");
    String md5 = call.header(prefix + "key-MD5");
    if (algorithm == null && key == null && md5 == null) {
      return null;
    }
    if (requireHttps && !secure(call)) {
      throw S3ErrorCode.INVALID_REQUEST.error(
          "Requests specifying Server Side Encryption with Customer provided keys must be made over"
              + " a secure connection.",
          null);
    }
    if (algorithm == null) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "Requests specifying Server Side Encryption with Customer provided keys must provide a"
              + " valid encryption algorithm.",
          prefix + "algorithm");
    }
    if (!algorithm.strip().equals(S3EncryptionOperations.AES256)) {
      throw StorageErrors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidEncryptionAlgorithmError",
          "The Encryption request you specified is not valid. Supported value: AES256.",
          prefix + "algorithm");
    }
    if (key == null) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "Requests specifying Server Side Encryption with Customer provided keys must provide an"
              + " appropriate secret key.",
          prefix + "key");
    }
    byte[] secret = base64(key);
    if (secret == null || secret.length != CustomerKey.KEY_SIZE) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "The secret key was invalid for the specified algorithm.", prefix + "key");
    }
    if (md5 == null) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "Requests specifying Server Side Encryption with Customer provided keys must provide the"
              + " client calculated MD5 of the secret key.",
          prefix + "key-MD5");
    }
    byte[] claimed = base64(md5);
    if (claimed == null || !MessageDigest.isEqual(claimed, md5(secret))) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "The calculated MD5 hash of the key did not match the hash that was provided.",
          prefix + "key-MD5");
    }
    return new CustomerKey(secret);
  }

  private static boolean secure(S3Call call) {
    if ("https".equalsIgnoreCase(call.request().uri().getScheme())) {
      return true;
    }
    String proto = call.header("X-Forwarded-Proto");
    return proto != null && proto.strip().equalsIgnoreCase("https");
  }

  /**
   * Names an SSE-C object on a response: the algorithm and the MD5 of the key (S3 echoes the
   * request's; it is the one the fingerprint just matched).
   */
  static void responseHeaders(HttpHeaders headers, S3Call call) {
    headers.remove(S3EncryptionOperations.HEADER);
    headers.set(ALGORITHM, S3EncryptionOperations.AES256);
    headers.set(KEY_MD5, call.header(KEY_MD5).strip());
  }

  private static byte[] base64(String value) {
    try {
      return Base64.getDecoder().decode(value.strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] md5(byte[] bytes) {
    try {
      return MessageDigest.getInstance("MD5").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
