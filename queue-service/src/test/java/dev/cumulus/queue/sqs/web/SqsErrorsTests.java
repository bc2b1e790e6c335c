package dev.cumulus.queue.sqs.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqsErrorsTests {

  @Test
  void sigV4FailuresGetSqsCodes() {
    assertThat(SqsErrors.code(s3(ErrorKind.FORBIDDEN, "InvalidAccessKeyId", "unknown key")))
        .isEqualTo("InvalidClientTokenId");
    assertThat(SqsErrors.code(s3(ErrorKind.FORBIDDEN, "SignatureDoesNotMatch", "mismatch")))
        .isEqualTo("SignatureDoesNotMatch");
    assertThat(SqsErrors.code(s3(ErrorKind.BAD_REQUEST, "AuthorizationHeaderMalformed", "bad")))
        .isEqualTo("IncompleteSignature");
    assertThat(SqsErrors.code(s3(ErrorKind.FORBIDDEN, "RequestTimeTooSkewed", "skew")))
        .isEqualTo("RequestExpired");
    assertThat(SqsErrors.code(s3(ErrorKind.FORBIDDEN, "AccessDenied", "Access Denied")))
        .isEqualTo("MissingAuthenticationToken");
    assertThat(SqsErrors.code(s3(ErrorKind.FORBIDDEN, "AccessDenied", "Request has expired")))
        .isEqualTo("RequestExpired");
  }

  @Test
  void codesCarryTheirStatusAndQueryCode() {
    assertThat(SqsErrors.wire("QueueDoesNotExist", ErrorKind.NOT_FOUND))
        .isEqualTo(new SqsErrors.Wire(400, "AWS.SimpleQueueService.NonExistentQueue", true));
    assertThat(SqsErrors.wire("QueueNameExists", ErrorKind.CONFLICT))
        .isEqualTo(new SqsErrors.Wire(400, "QueueAlreadyExists", true));
    assertThat(SqsErrors.wire("ServiceUnavailable", ErrorKind.SERVICE_UNAVAILABLE).sender())
        .isFalse();
    assertThat(SqsErrors.wire("SomethingNew", ErrorKind.BAD_REQUEST))
        .isEqualTo(new SqsErrors.Wire(400, "SomethingNew", true));
  }

  private static ApiException s3(ErrorKind kind, String code, String message) {
    return new ApiException(kind, message, code, null, Map.of(), null);
  }
}
