package dev.cumulus.database.nosql.domain;

import dev.cumulus.platform.error.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A position in a stream's shard, handed to clients as an opaque, HMAC-signed ShardIterator: the
 * instance, table and stream it belongs to, the sequence number it reads after, and when it was
 * issued (it expires {@link #LIFETIME} later, as DynamoDB's).
 */
public record ShardIterator(
    String service, String table, String label, long afterSeq, Instant issuedAt) {

  public static final Duration LIFETIME = Duration.ofMinutes(15);

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** The iterator's text, signed with the key. */
  public String encode(String key) {
    String payload =
        String.join(
            "|",
            service,
            table,
            label,
            Long.toString(afterSeq),
            Long.toString(issuedAt.toEpochMilli()));
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(mac(key, bytes));
  }

  /**
   * The iterator of this text: ValidationException when it is none of ours or another instance's,
   * ExpiredIteratorException when it is older than {@link #LIFETIME}.
   */
  public static ShardIterator decode(String text, String key, String service, Instant now) {
    ShardIterator iterator = parse(text, key);
    if (iterator == null || !iterator.service().equals(service)) {
      throw DynamoException.validation("Invalid ShardIterator");
    }
    if (iterator.issuedAt().plus(LIFETIME).isBefore(now)) {
      throw new DynamoException(
          ErrorKind.BAD_REQUEST,
          "ExpiredIteratorException",
          "Iterator expired. The iterator was created at time "
              + iterator.issuedAt()
              + " while right now it is "
              + now
              + " which is further in the future than the tolerated delay of "
              + LIFETIME.toMillis()
              + " milliseconds.");
    }
    return iterator;
  }

  /** The same position after another sequence number, issued now (NextShardIterator). */
  public ShardIterator next(long seq, Instant now) {
    return new ShardIterator(service, table, label, seq, now);
  }

  private static ShardIterator parse(String text, String key) {
    if (text == null || text.length() > 2048) {
      return null;
    }
    int dot = text.indexOf('.');
    if (dot < 1) {
      return null;
    }
    try {
      byte[] payload = DECODER.decode(text.substring(0, dot));
      byte[] signature = DECODER.decode(text.substring(dot + 1));
      if (!MessageDigest.isEqual(signature, mac(key, payload))) {
        return null;
      }
      String[] parts = new String(payload, StandardCharsets.UTF_8).split("\\|", -1);
      if (parts.length != 5) {
        return null;
      }
      return new ShardIterator(
          parts[0],
          parts[1],
          parts[2],
          Long.parseLong(parts[3]),
          Instant.ofEpochMilli(Long.parseLong(parts[4])));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] mac(String key, byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
