package dev.cumulus.platform.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/** Each family renders exactly the envelope its seed documents, keys in the seed's order. */
class ApiFamilyTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant AT = Instant.parse("2024-09-16T10:00:00Z");

  private static ApiError notFound() {
    return new ApiError(
        ErrorKind.NOT_FOUND, null, "function 'web-server' not found", null, Map.of(), "req-1", AT);
  }

  private static ApiError invalidEmail() {
    return new ApiError(
        ErrorKind.VALIDATION,
        null,
        "Validation failed: customerEmail must be a valid email",
        null,
        Map.of("customerEmail", List.of("must be a valid email")),
        "req-2",
        AT);
  }

  private static String render(ApiFamily family, ApiError error) {
    return JSON.writeValueAsString(family.render(error));
  }

  @Test
  void docksaasNestsCodeMessageDetailsAndEchoesRequestId() {
    assertThat(render(ApiFamily.DOCKSAAS, notFound()))
        .isEqualTo(
            "{\"error\":{\"code\":\"NotFound\",\"message\":\"function 'web-server' not found\","
                + "\"details\":null},\"requestId\":\"req-1\"}");
    assertThat(render(ApiFamily.DOCKSAAS, invalidEmail()))
        .contains("\"code\":\"InvalidRequest\"")
        .contains("\"details\":\"customerEmail must be a valid email\"");
    assertThat(ApiFamily.DOCKSAAS.status(ErrorKind.VALIDATION)).isEqualTo(HttpStatus.BAD_REQUEST);
  }

  @Test
  void sqsErrorsAreAwsJsonTextThatParsesBackToTheEnvelope() {
    // Quotes, backslashes, control characters (with and without a short escape), non-ASCII
    // (accents, CJK, an emoji's surrogate pair) and a JSON-looking fragment.
    String message =
        "Queue \"q\\1\"\n\t\r\b\f\u0000\u0001\u001f caf\u00e9 \u961f\u5217 \ud83d\ude00 {\"a\":1}";
    ApiError unavailable =
        new ApiError(ErrorKind.SERVICE_UNAVAILABLE, null, message, null, Map.of(), "req-4", AT);
    // A String: Spring has no JSON writer for application/x-amz-json-1.0.
    Object payload = ApiFamily.SQS.payload(unavailable);
    assertThat(payload).isInstanceOf(String.class);
    // Exactly what Jackson writes of the envelope, and it reads back to the same message.
    assertThat((String) payload).isEqualTo(render(ApiFamily.SQS, unavailable));
    assertThat(JSON.readValue((String) payload, Map.class))
        .containsEntry("__type", "com.amazonaws.sqs#ServiceUnavailable")
        .containsEntry("message", message);
    assertThat(ApiFamily.SQS.mediaType()).isEqualTo(ApiFamily.AWS_JSON);
  }

  @Test
  void docksaasKeepsTheThrowersOwnCode() {
    ApiError noBucket =
        new ApiError(ErrorKind.NOT_FOUND, "NoSuchBucket", "no bucket", "b1", Map.of(), "req-3", AT);
    assertThat(render(ApiFamily.DOCKSAAS, noBucket)).contains("\"code\":\"NoSuchBucket\"");
  }

  @Test
  void eventflowUsesReasonPhraseAndMessage() {
    assertThat(render(ApiFamily.EVENTFLOW, notFound()))
        .isEqualTo("{\"error\":\"Not Found\",\"message\":\"function 'web-server' not found\"}");
    ApiError conflict = new ApiError(ErrorKind.CONFLICT, null, "exists", null, Map.of(), "r", AT);
    assertThat(render(ApiFamily.EVENTFLOW, conflict))
        .isEqualTo("{\"error\":\"Conflict\",\"message\":\"exists\"}");
  }

  @Test
  void autoUpdateCarriesCodeFieldsAndMeta() {
    assertThat(render(ApiFamily.AUTO_UPDATE, notFound()))
        .isEqualTo(
            "{\"success\":false,\"message\":\"function 'web-server' not found\","
                + "\"error\":{\"code\":\"RESOURCE_NOT_FOUND\","
                + "\"details\":\"function 'web-server' not found\"},"
                + "\"meta\":{\"request_id\":\"req-1\",\"timestamp\":\"2024-09-16T10:00:00Z\"}}");
    assertThat(render(ApiFamily.AUTO_UPDATE, invalidEmail()))
        .contains("\"code\":\"VALIDATION_ERROR\"")
        .contains("\"fields\":{\"customerEmail\":[\"must be a valid email\"]}");
    assertThat(ApiFamily.AUTO_UPDATE.status(ErrorKind.VALIDATION))
        .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
    assertThat(ApiFamily.AUTO_UPDATE.status(ErrorKind.BAD_REQUEST))
        .isEqualTo(HttpStatus.BAD_REQUEST);
  }

  @Test
  void multiTenantIsStatusFailureErrorAndNullData() {
    assertThat(render(ApiFamily.MULTI_TENANT, notFound()))
        .isEqualTo(
            "{\"status\":\"failure\",\"error\":\"function 'web-server' not found\",\"data\":null}");
  }

  @Test
  void cloudIntegrationIsSuccessFalseWithMessage() {
    assertThat(render(ApiFamily.CLOUD_INTEGRATION, invalidEmail()))
        .isEqualTo(
            "{\"success\":false,\"error\":{\"message\":"
                + "\"Validation failed: customerEmail must be a valid email\"}}");
  }

  @Test
  void everyKindHasACodeInEveryFamily() {
    for (ApiFamily family : ApiFamily.values()) {
      for (ErrorKind kind : ErrorKind.values()) {
        ApiError error = new ApiError(kind, null, "m", null, Map.of(), "r", AT);
        assertThat(family.render(error)).isNotEmpty();
        assertThat(family.status(kind).isError()).isTrue();
      }
    }
  }

  @Test
  void s3AnswersInAwsXmlWithS3sCodes() {
    ApiError slowDown =
        new ApiError(
            ErrorKind.RATE_LIMITED,
            null,
            "Rate limit <exceeded> & more",
            null,
            Map.of(),
            "r-9",
            AT);
    assertThat(ApiFamily.S3.mediaType().toString()).isEqualTo("application/xml");
    assertThat(ApiFamily.S3.payload(slowDown))
        .isEqualTo(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                + "<Message>Rate limit &lt;exceeded&gt; &amp; more</Message>"
                + "<RequestId>r-9</RequestId></Error>");
    ApiError own =
        new ApiError(ErrorKind.NOT_FOUND, "NoSuchBucket", "gone", null, Map.of(), "r-10", AT);
    assertThat((String) ApiFamily.S3.payload(own)).contains("<Code>NoSuchBucket</Code>");
    assertThat(ApiFamily.DOCKSAAS.payload(own)).isInstanceOf(Map.class);
  }
}
