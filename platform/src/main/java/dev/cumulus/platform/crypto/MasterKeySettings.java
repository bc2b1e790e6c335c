package dev.cumulus.platform.crypto;

import java.nio.file.Path;

/**
 * The master-key settings of a service, as its properties record binds them ({@code master-key},
 * {@code previous-master-keys}, {@code master-key-file}); {@link
 * MasterKeyLoader#load(MasterKeySettings, org.springframework.core.env.Environment)} loads them.
 */
public interface MasterKeySettings {

  /** Base64 of 32 bytes; null or blank when not configured. */
  String masterKey();

  /** Retired keys still accepted for reading, comma-separated base64; null or blank for none. */
  String previousMasterKeys();

  /** Where the dev profile keeps the key it generated. */
  Path masterKeyFile();
}
