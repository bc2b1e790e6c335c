package dev.cumulus.storage.s3.auth;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.sigv4.SigV4;
import dev.cumulus.storage.common.StorageErrors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;

/**
 * Decodes an {@code aws-chunked} body ({@code <hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n} ...
 * {@code 0...\r\n<trailers>\r\n}) into its payload as it streams, checking each chunk's signature
 * against the previous one (seeded by the request signature), the trailer's signature and checksum,
 * and the decoded length. Any mismatch fails the stream, so a caller that stores the bytes never
 * commits them. One instance per request; not thread-safe (a Flux is sequential).
 */
public final class AwsChunkedDecoder {

  private static final int MAX_LINE = 4096;

  private enum State {
    SIZE_LINE,
    DATA,
    DATA_CRLF,
    TRAILERS,
    DONE
  }

  private final boolean signed;
  private final byte[] signingKey;
  private final String amzDate;
  private final String scope;
  private final long declaredLength;
  private final TrailerChecksum checksum;
  private final BiConsumer<String, String> verified;

  private State state = State.SIZE_LINE;
  private final StringBuilder line = new StringBuilder();
  private String previousSignature;
  private String chunkSignature;
  private long chunkRemaining;
  private long decoded;
  private MessageDigest chunkDigest;
  private final Map<String, String> trailers = new LinkedHashMap<>();

  /**
   * @param signed whether chunks carry signatures ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD*})
   * @param seedSignature the request's own signature, which the first chunk signature chains from
   * @param declaredLength {@code x-amz-decoded-content-length}, or -1 if absent
   * @param expectedTrailer the checksum trailer announced in {@code x-amz-trailer}, or null
   */
  public AwsChunkedDecoder(
      boolean signed,
      byte[] signingKey,
      String amzDate,
      String scope,
      String seedSignature,
      long declaredLength,
      String expectedTrailer) {
    this(
        signed,
        signingKey,
        amzDate,
        scope,
        seedSignature,
        declaredLength,
        expectedTrailer,
        (algorithm, value) -> {});
  }

  /**
   * @param verified told the trailer checksum's algorithm and value once it matched the bytes
   */
  public AwsChunkedDecoder(
      boolean signed,
      byte[] signingKey,
      String amzDate,
      String scope,
      String seedSignature,
      long declaredLength,
      String expectedTrailer,
      BiConsumer<String, String> verified) {
    this.verified = verified;
    this.signed = signed;
    this.signingKey = signingKey;
    this.amzDate = amzDate;
    this.scope = scope;
    this.previousSignature = seedSignature;
    this.declaredLength = declaredLength;
    this.checksum = TrailerChecksum.forHeader(expectedTrailer);
  }

  public Flux<DataBuffer> decode(Flux<DataBuffer> body) {
    return body.concatMapIterable(
            buffer -> {
              try {
                return feed(buffer);
              } finally {
                DataBufferUtils.release(buffer);
              }
            })
        .concatWith(Flux.defer(() -> finish()));
  }

  private List<DataBuffer> feed(DataBuffer buffer) {
    List<DataBuffer> out = new ArrayList<>(2);
    byte[] bytes = new byte[buffer.readableByteCount()];
    buffer.read(bytes);
    int i = 0;
    while (i < bytes.length) {
      switch (state) {
        case SIZE_LINE, TRAILERS, DATA_CRLF -> {
          int end = indexOfLf(bytes, i);
          int stop = end < 0 ? bytes.length : end;
          appendLine(bytes, i, stop);
          i = stop;
          if (end >= 0) {
            i++;
            lineEnded();
          }
        }
        case DATA -> {
          int n = (int) Math.min(chunkRemaining, bytes.length - i);
          byte[] data = java.util.Arrays.copyOfRange(bytes, i, i + n);
          if (signed) {
            chunkDigest.update(data);
          }
          if (checksum != null) {
            checksum.update(java.nio.ByteBuffer.wrap(data));
          }
          out.add(DefaultDataBufferFactory.sharedInstance.wrap(data));
          decoded += n;
          chunkRemaining -= n;
          i += n;
          if (chunkRemaining == 0) {
            state = State.DATA_CRLF;
          }
        }
        case DONE -> throw malformed("Data after the final chunk");
      }
    }
    return out;
  }

  private void appendLine(byte[] bytes, int from, int to) {
    if (line.length() + (to - from) > MAX_LINE) {
      throw malformed("A chunk header or trailer line is too long");
    }
    line.append(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1));
  }

  private void lineEnded() {
    String text = line.toString();
    line.setLength(0);
    if (!text.endsWith("\r")) {
      throw malformed("Chunk lines must end with CRLF");
    }
    text = text.substring(0, text.length() - 1);
    switch (state) {
      case DATA_CRLF -> {
        if (!text.isEmpty()) {
          throw malformed("Chunk data is longer than its declared size");
        }
        verifyChunk();
        state = State.SIZE_LINE;
      }
      case SIZE_LINE -> startChunk(text);
      case TRAILERS -> {
        if (text.isEmpty()) {
          verifyTrailers();
          state = State.DONE;
        } else {
          int colon = text.indexOf(':');
          if (colon <= 0) {
            throw malformed("Malformed trailer line");
          }
          trailers.put(
              text.substring(0, colon).strip().toLowerCase(Locale.ROOT),
              text.substring(colon + 1).strip());
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void startChunk(String header) {
    int semicolon = header.indexOf(';');
    String size = semicolon < 0 ? header : header.substring(0, semicolon);
    try {
      chunkRemaining = Long.parseLong(size.strip(), 16);
    } catch (NumberFormatException e) {
      throw malformed("Chunk size is not hexadecimal");
    }
    if (chunkRemaining < 0) {
      throw malformed("Negative chunk size");
    }
    chunkSignature = null;
    if (semicolon >= 0) {
      String extension = header.substring(semicolon + 1).strip();
      if (extension.startsWith("chunk-signature=")) {
        chunkSignature = extension.substring("chunk-signature=".length());
      }
    }
    if (signed && chunkSignature == null) {
      throw malformed("A chunk has no signature");
    }
    chunkDigest = signed ? SigV4.sha256() : null;
    if (chunkRemaining == 0) {
      verifyChunk();
      state = State.TRAILERS;
    } else {
      state = State.DATA;
    }
  }

  private void verifyChunk() {
    if (!signed) {
      return;
    }
    String expected =
        SigV4.sign(
            signingKey,
            SigV4.chunkStringToSign(
                amzDate, scope, previousSignature, SigV4.hex(chunkDigest.digest())));
    if (!SigV4.matches(expected, chunkSignature)) {
      throw StorageErrors.of(
          ErrorKind.FORBIDDEN,
          "SignatureDoesNotMatch",
          "The request signature we calculated does not match the signature you provided.",
          "A chunk signature of the aws-chunked body does not match");
    }
    previousSignature = chunkSignature;
  }

  private void verifyTrailers() {
    String trailerSignature = trailers.remove("x-amz-trailer-signature");
    if (signed && checksum != null) {
      StringBuilder canonical = new StringBuilder();
      trailers.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
      String expected =
          SigV4.sign(
              signingKey,
              SigV4.trailerStringToSign(
                  amzDate, scope, previousSignature, SigV4.sha256Hex(canonical.toString())));
      if (!SigV4.matches(expected, trailerSignature)) {
        throw StorageErrors.of(
            ErrorKind.FORBIDDEN,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
            "The trailer signature of the aws-chunked body does not match");
      }
    }
    if (checksum != null) {
      String claimed = trailers.get(checksum.header());
      checksum.verify(claimed); // value() is final: pass on the claim it matched
      verified.accept(checksum.algorithm(), claimed.strip());
    }
  }

  private Flux<DataBuffer> finish() {
    if (state != State.DONE) {
      return Flux.error(
          StorageErrors.of(
              ErrorKind.BAD_REQUEST,
              "IncompleteBody",
              "You did not provide the number of bytes specified by the Content-Length HTTP"
                  + " header",
              "The aws-chunked body ended before its final chunk"));
    }
    if (declaredLength >= 0 && declaredLength != decoded) {
      return Flux.error(
          StorageErrors.of(
              ErrorKind.BAD_REQUEST,
              "IncompleteBody",
              "The decoded body length does not match x-amz-decoded-content-length",
              "declared " + declaredLength + ", received " + decoded));
    }
    return Flux.empty();
  }

  private static int indexOfLf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static RuntimeException malformed(String details) {
    return StorageErrors.of(
        ErrorKind.BAD_REQUEST,
        "InvalidRequest",
        "The aws-chunked request body is malformed",
        details);
  }
}
