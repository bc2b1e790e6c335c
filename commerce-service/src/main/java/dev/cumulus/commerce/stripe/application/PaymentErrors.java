package dev.cumulus.commerce.stripe.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.Map;

/** How a Stripe failure reaches the orders: declined, refused, or not answered at all. */
public final class PaymentErrors {

  private PaymentErrors() {}

  /** Stripe could not be reached, failed, timed out, or its circuit is open: retry later. */
  public static final class Unavailable extends ApiException {
    public Unavailable(String message, Throwable cause) {
      super(
          ErrorKind.BAD_GATEWAY,
          "Payment provider unavailable: " + message,
          null,
          null,
          Map.of(),
          cause);
    }
  }

  /** Stripe answered and said no (declined card, invalid request, wrong state): final. */
  public static final class Refused extends ApiException {
    private final String stripeCode;

    public Refused(String message, String stripeCode, Throwable cause) {
      super(ErrorKind.BAD_REQUEST, message, null, null, Map.of(), cause);
      this.stripeCode = stripeCode;
    }

    public String stripeCode() {
      return stripeCode;
    }
  }

  /** Whether a step that failed with {@code error} may succeed if tried again. */
  public static boolean isTransient(Throwable error) {
    return error instanceof Unavailable;
  }
}
