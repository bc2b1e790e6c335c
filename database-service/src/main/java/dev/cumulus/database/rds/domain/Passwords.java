package dev.cumulus.database.rds.domain;

import java.security.SecureRandom;

/**
 * Generated role passwords: 32 characters of letters and digits (190 bits). The alphabet needs no
 * quoting, so a password can be written as a SQL literal (ALTER ROLE accepts no parameters).
 */
public final class Passwords {

  private static final char[] ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Passwords() {}

  public static String generate() {
    char[] password = new char[32];
    for (int i = 0; i < password.length; i++) {
      password[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(password);
  }

  /** Whether a value is one this class could have generated (safe inside '...'). */
  public static boolean safe(String password) {
    return password != null && password.matches("[A-Za-z0-9]{16,128}");
  }
}
