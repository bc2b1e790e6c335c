package dev.cumulus.queue.queues.domain;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/**
 * A receipt handle: the queue, the message and the random token drawn by one receive. It cannot be
 * forged: the token is 122 random bits that exist only in the database row and in the answer to
 * that receive, and a later receive draws a new one.
 *
 * <p>The encoding starts with a fixed letter pair: bare base64url may start with {@code -}, which
 * the awscli's argument parser then takes for an option ({@code --receipt-handle -abc...} fails).
 */
public record ReceiptHandle(UUID queueId, UUID messageId, UUID token) {

  private static final int LENGTH = 48;
  private static final String PREFIX = "AQ";

  public String encode() {
    ByteBuffer bytes = ByteBuffer.allocate(LENGTH);
    for (UUID id : new UUID[] {queueId, messageId, token}) {
      bytes.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    }
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
  }

  /** The handle's parts; {@code ReceiptHandleIsInvalid} for anything that is not a handle. */
  public static ReceiptHandle decode(String handle) {
    if (handle == null || handle.isBlank()) {
      throw QueueErrors.missingParameter("ReceiptHandle");
    }
    String trimmed = handle.trim();
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(trimmed.substring(prefixLength(trimmed)));
    } catch (IllegalArgumentException e) {
      bytes = new byte[0];
    }
    if (bytes.length != LENGTH) {
      throw QueueErrors.receiptHandleIsInvalid(
          "The receipt handle \"" + handle + "\" is not valid.");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new ReceiptHandle(
        new UUID(buffer.getLong(), buffer.getLong()),
        new UUID(buffer.getLong(), buffer.getLong()),
        new UUID(buffer.getLong(), buffer.getLong()));
  }

  // Handles drawn before the prefix existed stay valid until their visibility timeout ends.
  private static int prefixLength(String handle) {
    return handle.length() == 64 + PREFIX.length() && handle.startsWith(PREFIX)
        ? PREFIX.length()
        : 0;
  }
}
