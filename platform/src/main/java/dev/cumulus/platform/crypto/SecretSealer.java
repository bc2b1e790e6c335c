package dev.cumulus.platform.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Seals secrets a service must be able to read back (webhook signing secrets, integration sources'
 * secrets, registry passwords) with its master key; the row's id is the associated data, so a
 * sealed value copied to another row does not open.
 */
public final class SecretSealer {

  private final MasterKey key;

  public SecretSealer(MasterKey key) {
    this.key = key;
  }

  public byte[] seal(String secret, String rowId) {
    return key.encrypt(secret.getBytes(StandardCharsets.UTF_8), rowId);
  }

  public String open(byte[] sealed, String rowId) {
    return new String(key.decrypt(sealed, rowId), StandardCharsets.UTF_8);
  }
}
