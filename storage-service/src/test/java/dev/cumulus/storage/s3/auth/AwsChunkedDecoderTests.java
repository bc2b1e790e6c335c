package dev.cumulus.storage.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.sigv4.SigV4;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;

class AwsChunkedDecoderTests {

  // AWS's documented example ("Transferring payload in multiple chunks", SigV4 streaming).
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String AMZ_DATE = "20130524T000000Z";
  static final String SCOPE = "20130524/us-east-1/s3/aws4_request";
  static final String SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
  static final byte[] KEY = SigV4.signingKey(SECRET, "20130524", "us-east-1", "s3");

  @Test
  void decodesAwsDocumentedExampleWithItsPublishedChunkSignatures() {
    byte[] first = new byte[65536];
    byte[] second = new byte[1024];
    Arrays.fill(first, (byte) 'a');
    Arrays.fill(second, (byte) 'a');
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    write(
        body,
        "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n");
    body.writeBytes(first);
    write(
        body,
        "\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n");
    body.writeBytes(second);
    write(
        body,
        "\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n");

    byte[] decoded = decode(signed(66560, null), body.toByteArray(), 1000);
    assertThat(decoded).hasSize(66560).containsOnly((byte) 'a');
  }

  @Test
  void signedChunksWithTrailerChecksumVerifyAcrossArbitraryBufferSplits() {
    byte[] payload =
        "The quick brown fox jumps over the lazy dog".repeat(500).getBytes(StandardCharsets.UTF_8);
    TrailerChecksum crc = TrailerChecksum.forHeader("x-amz-checksum-crc32");
    crc.update(ByteBuffer.wrap(payload));
    byte[] body = encodeSigned(payload, 7000, "x-amz-checksum-crc32:" + crc.value());
    for (int split : List.of(1, 3, 64, 8192, body.length)) {
      assertThat(decode(signed(payload.length, "x-amz-checksum-crc32"), body, split))
          .isEqualTo(payload);
    }
  }

  @Test
  void aTamperedChunkOrWrongChecksumOrShortBodyFails() {
    byte[] payload = "0123456789".repeat(100).getBytes(StandardCharsets.UTF_8);
    byte[] body = encodeSigned(payload, 256, null);
    byte[] tampered = body.clone();
    int dataAt = new String(body, StandardCharsets.ISO_8859_1).indexOf("\r\n") + 2;
    tampered[dataAt] = 'X';
    assertCode(() -> decode(signed(payload.length, null), tampered, 100), "SignatureDoesNotMatch");

    byte[] wrongCrc = encodeSigned(payload, 256, "x-amz-checksum-crc32:AAAAAA==");
    assertCode(
        () -> decode(signed(payload.length, "x-amz-checksum-crc32"), wrongCrc, 100), "BadDigest");

    byte[] cut = Arrays.copyOf(body, body.length - 40);
    assertCode(() -> decode(signed(payload.length, null), cut, 100), "IncompleteBody");
  }

  @Test
  void unsignedTrailerModeChecksOnlyTheChecksum() {
    byte[] payload = "hello world".getBytes(StandardCharsets.UTF_8);
    TrailerChecksum sha = TrailerChecksum.forHeader("x-amz-checksum-sha256");
    sha.update(ByteBuffer.wrap(payload));
    String body = "b\r\nhello world\r\n0\r\nx-amz-checksum-sha256:" + sha.value() + "\r\n\r\n";
    AwsChunkedDecoder decoder =
        new AwsChunkedDecoder(false, null, AMZ_DATE, SCOPE, SEED, 11, "x-amz-checksum-sha256");
    assertThat(decode(decoder, body.getBytes(StandardCharsets.ISO_8859_1), 5)).isEqualTo(payload);
  }

  @Test
  void crc64NvmeMatchesItsCheckValue() {
    TrailerChecksum.Crc64Nvme crc = new TrailerChecksum.Crc64Nvme();
    crc.update(ByteBuffer.wrap("123456789".getBytes(StandardCharsets.US_ASCII)));
    assertThat(crc.value()).isEqualTo(0xae8b14860a799888L);
  }

  // ---------------------------------------------------------------------------------------------

  static AwsChunkedDecoder signed(long length, String trailer) {
    return new AwsChunkedDecoder(true, KEY, AMZ_DATE, SCOPE, SEED, length, trailer);
  }

  /** Encodes as a SigV4 streaming client does, chaining each chunk signature from the seed. */
  static byte[] encodeSigned(byte[] payload, int chunkSize, String trailerLine) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String previous = SEED;
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < payload.length; i += chunkSize) {
      chunks.add(Arrays.copyOfRange(payload, i, Math.min(payload.length, i + chunkSize)));
    }
    chunks.add(new byte[0]);
    for (byte[] chunk : chunks) {
      String signature =
          SigV4.sign(
              KEY,
              SigV4.chunkStringToSign(
                  AMZ_DATE, SCOPE, previous, SigV4.hex(SigV4.sha256().digest(chunk))));
      write(out, Integer.toHexString(chunk.length) + ";chunk-signature=" + signature + "\r\n");
      out.writeBytes(chunk);
      if (chunk.length > 0) {
        write(out, "\r\n");
      }
      previous = signature;
    }
    if (trailerLine != null) {
      String trailerSignature =
          SigV4.sign(
              KEY,
              SigV4.trailerStringToSign(
                  AMZ_DATE, SCOPE, previous, SigV4.sha256Hex(trailerLine + "\n")));
      write(out, trailerLine + "\r\nx-amz-trailer-signature:" + trailerSignature + "\r\n");
    }
    write(out, "\r\n");
    return out.toByteArray();
  }

  static byte[] decode(AwsChunkedDecoder decoder, byte[] body, int split) {
    List<DataBuffer> pieces = new ArrayList<>();
    for (int i = 0; i < body.length; i += split) {
      pieces.add(
          DefaultDataBufferFactory.sharedInstance.wrap(
              Arrays.copyOfRange(body, i, Math.min(body.length, i + split))));
    }
    DataBuffer joined = DataBufferUtils.join(decoder.decode(Flux.fromIterable(pieces))).block();
    if (joined == null) {
      return new byte[0];
    }
    byte[] bytes = new byte[joined.readableByteCount()];
    joined.read(bytes);
    return bytes;
  }

  static void assertCode(Runnable call, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
