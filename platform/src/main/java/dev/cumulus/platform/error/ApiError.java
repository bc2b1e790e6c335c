package dev.cumulus.platform.error;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One error, normalised from whatever exception caused it, ready to be rendered by a family.
 *
 * @param kind what went wrong
 * @param code the thrower's own code, or null for the family default
 * @param message a sentence for the caller
 * @param details more explanation, or null
 * @param fieldErrors invalid input fields and why, possibly empty
 * @param requestId the request id echoed to the caller
 * @param timestamp when the error was rendered
 */
public record ApiError(
    ErrorKind kind,
    String code,
    String message,
    String details,
    Map<String, List<String>> fieldErrors,
    String requestId,
    Instant timestamp) {}
