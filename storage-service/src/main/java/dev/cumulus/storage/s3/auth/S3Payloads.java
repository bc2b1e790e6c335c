package dev.cumulus.storage.s3.auth;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.sigv4.SigV4;
import dev.cumulus.platform.sigv4.SigV4Authenticator;
import dev.cumulus.platform.sigv4.SignedRequest;
import dev.cumulus.storage.common.StorageErrors;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;

/**
 * The payload of a signed request as the client declared it in {@code x-amz-content-sha256}: a
 * SHA-256 that must match, {@code UNSIGNED-PAYLOAD}, or an {@code aws-chunked} stream with chunk
 * signatures and/or a checksum trailer. The returned stream fails at its end (before a caller can
 * commit anything) if the bytes are not what was signed.
 */
public final class S3Payloads {

  static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
  static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
  static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

  private static final List<String> CHECKSUM_HEADERS =
      List.of("crc32", "crc32c", "crc64nvme", "sha1", "sha256").stream()
          .map(a -> "x-amz-checksum-" + a)
          .toList();

  private S3Payloads() {}

  /** The payload bytes, decoded and checked as they stream. */
  public static Flux<DataBuffer> of(
      SigV4Authenticator.Authenticated auth, HttpHeaders headers, Flux<DataBuffer> body) {
    return of(auth, headers, body, (algorithm, value) -> {});
  }

  /**
   * The same, telling {@code verified} the algorithm (S3's name) and base64 value of the {@code
   * x-amz-checksum-*} the client sent (header or trailer) once it matched the bytes, before the
   * stream completes; not told when the client sent none.
   */
  public static Flux<DataBuffer> of(
      SigV4Authenticator.Authenticated auth,
      HttpHeaders headers,
      Flux<DataBuffer> body,
      BiConsumer<String, String> verified) {
    SignedRequest signed = auth.signed();
    String mode = signed.payloadHash();
    return switch (mode) {
      case STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER -> {
        String trailer = mode.equals(STREAMING_SIGNED) ? null : headers.getFirst("x-amz-trailer");
        Flux<DataBuffer> decoded =
            new AwsChunkedDecoder(
                    !mode.equals(STREAMING_UNSIGNED_TRAILER),
                    auth.signingKey(),
                    signed.amzDate(),
                    signed.scope(),
                    signed.signature(),
                    decodedLength(headers),
                    trailer,
                    verified)
                .decode(body);
        // A checksum can come as a header of a chunked body too (the SDKs send one they were
        // given that way): it is checked against the decoded bytes.
        yield trailer == null ? withHeaderChecksum(headers, decoded, verified) : decoded;
      }
      case SigV4.UNSIGNED_PAYLOAD -> withHeaderChecksum(headers, body, verified);
      default -> {
        if (!SigV4.isLowerHex64(mode)) {
          yield Flux.error(
              StorageErrors.of(
                  ErrorKind.BAD_REQUEST,
                  "InvalidArgument",
                  "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-* or a SHA-256",
                  mode));
        }
        yield withHeaderChecksum(headers, sha256Checked(mode, body), verified);
      }
    };
  }

  /**
   * The payload of an anonymous request: checked against its {@code x-amz-content-sha256} when that
   * is a SHA-256, and its {@code x-amz-checksum-*}; there is no signature to check chunks with.
   */
  public static Flux<DataBuffer> unsigned(
      HttpHeaders headers, Flux<DataBuffer> body, BiConsumer<String, String> verified) {
    String mode = headers.getFirst("x-amz-content-sha256");
    if (STREAMING_UNSIGNED_TRAILER.equals(mode)) {
      // What the SDKs send without credentials: aws-chunked with a checksum trailer.
      return new AwsChunkedDecoder(
              false,
              null,
              null,
              null,
              null,
              decodedLength(headers),
              headers.getFirst("x-amz-trailer"),
              verified)
          .decode(body);
    }
    if (STREAMING_SIGNED.equals(mode) || STREAMING_SIGNED_TRAILER.equals(mode)) {
      return Flux.error(
          StorageErrors.of(
              ErrorKind.BAD_REQUEST,
              "InvalidArgument",
              "A signed payload needs a signed request",
              mode));
    }
    return withHeaderChecksum(
        headers,
        mode != null && SigV4.isLowerHex64(mode) ? sha256Checked(mode, body) : body,
        verified);
  }

  private static Flux<DataBuffer> sha256Checked(String expected, Flux<DataBuffer> body) {
    MessageDigest sha = SigV4.sha256();
    return inspect(
        body,
        sha::update,
        () -> {
          String actual = SigV4.hex(sha.digest());
          if (!actual.equals(expected)) {
            throw StorageErrors.of(
                ErrorKind.BAD_REQUEST,
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
                "computed " + actual);
          }
        });
  }

  private static Flux<DataBuffer> withHeaderChecksum(
      HttpHeaders headers, Flux<DataBuffer> body, BiConsumer<String, String> verified) {
    for (String name : CHECKSUM_HEADERS) {
      String claimed = headers.getFirst(name);
      if (claimed != null) {
        TrailerChecksum checksum = TrailerChecksum.forHeader(name);
        return inspect(
            body,
            checksum::update,
            () -> {
              checksum.verify(claimed);
              verified.accept(checksum.algorithm(), claimed.strip());
            });
      }
    }
    return body;
  }

  /** Feeds every byte to {@code sink}, then runs {@code atEnd} before completing. */
  private static Flux<DataBuffer> inspect(
      Flux<DataBuffer> body, Consumer<ByteBuffer> sink, Runnable atEnd) {
    return body.doOnNext(
            buffer -> {
              try (var views = buffer.readableByteBuffers()) {
                while (views.hasNext()) {
                  sink.accept(views.next());
                }
              }
            })
        .concatWith(
            Flux.defer(
                () -> {
                  atEnd.run();
                  return Flux.empty();
                }));
  }

  private static long decodedLength(HttpHeaders headers) {
    String value = headers.getFirst("x-amz-decoded-content-length");
    try {
      return value == null ? -1 : Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw StorageErrors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidArgument",
          "x-amz-decoded-content-length must be a number",
          value.toLowerCase(Locale.ROOT));
    }
  }
}
