package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.sigv4.SigV4Authenticator;
import dev.cumulus.storage.access.domain.Principal;
import dev.cumulus.storage.object.domain.ObjectChecksum;
import dev.cumulus.storage.s3.auth.S3Payloads;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One S3 request, authenticated or anonymous: whose instance it reaches, who makes it, and what it
 * addresses.
 *
 * @param auth the verified signature, null for an anonymous request
 * @param instance the instance whose buckets it addresses
 * @param principal who makes it (the owner: signed by {@code instance}'s own key)
 */
record S3Call(
    ServerRequest request,
    SigV4Authenticator.Authenticated auth,
    Instance instance,
    S3Request target,
    Principal principal) {

  /** A request signed by the key of the instance it addresses (every call but namespaced ones). */
  S3Call(
      ServerRequest request,
      SigV4Authenticator.Authenticated auth,
      Instance instance,
      S3Request target) {
    this(request, auth, instance, target, new Principal(instance.serviceId(), true));
  }

  /** The bucket name, or null for service-level calls (ListBuckets). */
  String bucket() {
    return target.bucket();
  }

  /** The object key, or null for bucket-level calls. */
  String key() {
    return target.key();
  }

  /** Decoded query parameters ({@code ?uploads} maps to an empty value). */
  Map<String, List<String>> query() {
    return target.query();
  }

  HttpHeaders headers() {
    return target.headers();
  }

  String header(String name) {
    return target.header(name);
  }

  boolean has(String parameter) {
    return target.has(parameter);
  }

  String param(String name) {
    return target.param(name);
  }

  /** The request body, its signature or hash checked as it streams ({@link S3Payloads}). */
  Flux<DataBuffer> body() {
    return payload((algorithm, value) -> {});
  }

  /**
   * The request body, checked as {@link #body()}; once it has completed, {@code checksum} holds the
   * {@code x-amz-checksum-*} the client sent with it (verified), or stays null when it sent none.
   */
  Flux<DataBuffer> body(AtomicReference<ObjectChecksum> checksum) {
    return payload((algorithm, value) -> checksum.set(new ObjectChecksum(algorithm, value)));
  }

  /** Signed requests are checked against their signature, anonymous ones against their hashes. */
  private Flux<DataBuffer> payload(java.util.function.BiConsumer<String, String> verified) {
    Flux<DataBuffer> bytes = request.body(BodyExtractors.toDataBuffers());
    return auth == null
        ? S3Payloads.unsigned(headers(), bytes, verified)
        : S3Payloads.of(auth, headers(), bytes, verified);
  }

  /**
   * The hex MD5 the request's {@code Content-MD5} header stands for; null when there is none.
   *
   * @throws dev.cumulus.platform.error.ApiException {@code InvalidDigest} when it is not the base64
   *     of 16 bytes
   */
  String expectedMd5Hex() {
    String contentMd5 = header("Content-MD5");
    if (contentMd5 == null) {
      return null;
    }
    byte[] digest;
    try {
      digest = Base64.getDecoder().decode(contentMd5.strip());
    } catch (IllegalArgumentException e) {
      digest = new byte[0];
    }
    if (digest.length != 16) {
      throw S3ErrorCode.INVALID_DIGEST.error("Content-MD5 must be the base64 of 16 bytes");
    }
    return HexFormat.of().formatHex(digest);
  }

  /**
   * A small XML request body (CreateBucketConfiguration, Delete, CompleteMultipartUpload, ...),
   * held to the same rules as any payload: its signature or hash ({@link S3Payloads}), its {@code
   * Content-MD5} when sent, and at most {@code maxBytes}. Empty when there is none.
   */
  Mono<String> xmlBody(int maxBytes) {
    String expectedMd5;
    try {
      expectedMd5 = expectedMd5Hex();
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
    return DataBufferUtils.join(body(), maxBytes)
        .onErrorMap(
            DataBufferLimitException.class,
            e ->
                S3ErrorCode.MALFORMED_XML.error(
                    "The request is too large", "at most " + maxBytes + " bytes"))
        .map(
            buffer -> {
              byte[] bytes = new byte[buffer.readableByteCount()];
              buffer.read(bytes);
              DataBufferUtils.release(buffer);
              if (expectedMd5 != null && !expectedMd5.equals(md5Hex(bytes))) {
                throw S3ErrorCode.BAD_DIGEST.error(null);
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
