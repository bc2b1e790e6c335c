package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.instance.domain.StorageInstance;
import dev.cumulus.storage.object.application.ObjectService;
import dev.cumulus.storage.s3.auth.S3Authenticator;
import dev.cumulus.storage.s3.auth.S3Payloads;
import dev.cumulus.storage.support.StorageErrors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

/**
 * One authenticated S3 request: whose instance it reaches, and what it addresses.
 *
 * @param bucket the bucket name, or null for service-level calls (ListBuckets)
 * @param key the object key, or null for bucket-level calls
 * @param query decoded query parameters ({@code ?uploads} maps to an empty value)
 */
record S3Call(
    ServerRequest request,
    S3Authenticator.Authenticated auth,
    StorageInstance instance,
    String bucket,
    String key,
    Map<String, List<String>> query) {

  HttpHeaders headers() {
    return request.headers().asHttpHeaders();
  }

  String header(String name) {
    return headers().getFirst(name);
  }

  boolean has(String parameter) {
    return query.containsKey(parameter);
  }

  String param(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  String method() {
    return request.method().name();
  }

  /**
   * A small XML request body (CreateBucketConfiguration, Delete, CompleteMultipartUpload, ...),
   * held to the same rules as any payload: its signature or hash ({@link S3Payloads}), its {@code
   * Content-MD5} when sent, and at most {@code maxBytes}. Empty when there is none.
   */
  Mono<String> xmlBody(int maxBytes) {
    String expectedMd5;
    try {
      expectedMd5 = ObjectService.contentMd5Hex(header("Content-MD5"));
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
    return DataBufferUtils.join(
            S3Payloads.of(auth, headers(), request.body(BodyExtractors.toDataBuffers())), maxBytes)
        .onErrorMap(
            DataBufferLimitException.class,
            e ->
                StorageErrors.of(
                    ErrorKind.BAD_REQUEST,
                    "MalformedXML",
                    "The request is too large",
                    "at most " + maxBytes + " bytes"))
        .map(
            buffer -> {
              byte[] bytes = new byte[buffer.readableByteCount()];
              buffer.read(bytes);
              DataBufferUtils.release(buffer);
              if (expectedMd5 != null && !expectedMd5.equals(md5Hex(bytes))) {
                throw StorageErrors.of(
                    ErrorKind.BAD_REQUEST,
                    "BadDigest",
                    "The Content-MD5 you specified did not match what we received.",
                    null);
              }
              return new String(bytes, StandardCharsets.UTF_8);
            })
        .defaultIfEmpty("");
  }

  private static String md5Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
