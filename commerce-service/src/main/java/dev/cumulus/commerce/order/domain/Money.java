package dev.cumulus.commerce.order.domain;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

/**
 * Amounts: the seed speaks major units ({@code 109.97}), Stripe and the database integer minor
 * units ({@code 10997}) of an ISO 4217 currency. Conversions are exact or refused.
 */
public final class Money {

  private Money() {}

  /** The lower-case ISO code, or an {@link IllegalArgumentException} for an unknown one. */
  public static String currency(String code) {
    if (code == null || code.length() != 3) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code");
    }
    Currency.getInstance(code.toUpperCase(Locale.ROOT));
    return code.toLowerCase(Locale.ROOT);
  }

  /** {@code 109.97 usd} → 10997; refuses more decimals than the currency has. */
  public static long toMinor(BigDecimal major, String currency) {
    try {
      return major.movePointRight(digits(currency)).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "has more decimals than " + currency + " allows (" + digits(currency) + ")");
    }
  }

  /** 10997 usd → {@code 109.97}. */
  public static BigDecimal toMajor(long minor, String currency) {
    return BigDecimal.valueOf(minor, digits(currency));
  }

  private static int digits(String currency) {
    return Math.max(
        0, Currency.getInstance(currency.toUpperCase(Locale.ROOT)).getDefaultFractionDigits());
  }
}
