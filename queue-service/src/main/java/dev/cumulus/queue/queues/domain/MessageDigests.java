package dev.cumulus.queue.queues.domain;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The digests SQS returns and SDKs verify: MD5 of the body, and MD5 of the message attributes as
 * SQS computes it (attributes sorted by name; each as length-prefixed name, length-prefixed type, a
 * transport byte 1 for String/Number or 2 for Binary, then the length-prefixed value; lengths
 * 4-byte big-endian).
 */
public final class MessageDigests {

  private MessageDigests() {}

  public static String md5Hex(String text) {
    return HexFormat.of().formatHex(md5().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The attributes' MD5, or null when there are none (SQS then sends no field). */
  public static String ofAttributes(Map<String, MessageAttribute> attributes) {
    if (attributes == null || attributes.isEmpty()) {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new TreeMap<>(attributes)
        .forEach(
            (name, attribute) -> {
              lengthPrefixed(bytes, name.getBytes(StandardCharsets.UTF_8));
              lengthPrefixed(bytes, attribute.dataType().getBytes(StandardCharsets.UTF_8));
              if (attribute.binary()) {
                bytes.write(2);
                lengthPrefixed(bytes, attribute.binaryValue());
              } else {
                bytes.write(1);
                lengthPrefixed(bytes, attribute.stringValue().getBytes(StandardCharsets.UTF_8));
              }
            });
    return HexFormat.of().formatHex(md5().digest(bytes.toByteArray()));
  }

  /** SHA-256 of the body: FIFO content-based deduplication ids. */
  public static String sha256Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void lengthPrefixed(ByteArrayOutputStream out, byte[] value) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
    out.writeBytes(value);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
