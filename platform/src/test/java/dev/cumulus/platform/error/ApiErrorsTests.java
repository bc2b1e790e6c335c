package dev.cumulus.platform.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiErrorsTests {

  @Test
  void aBodyThatCannotBeDecodedIsTheCallersFaultNotA500() {
    ApiError error =
        ApiErrors.from(
            new org.springframework.core.codec.DecodingException(
                "Could not find end of body (␍␊--boundary--)"),
            "POST",
            "/upload",
            "rid");
    assertThat(error.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
    assertThat(error.message()).startsWith("Request body could not be read: Could not find end");
  }

  @Test
  void statusReasonsLoseTheirJavaNames() {
    ApiError error =
        ApiErrors.from(
            new org.springframework.web.server.ResponseStatusException(
                org.springframework.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "Content type 'text/plain' not supported for"
                    + " bodyType=dev.cumulus.queue.queues.web.InternalMessageController$Handles"),
            "POST",
            "/internal/queue/t/s/queues/q/delete",
            "rid");
    assertThat(error.kind()).isEqualTo(ErrorKind.UNSUPPORTED_MEDIA_TYPE);
    assertThat(error.message())
        .isEqualTo("Content type 'text/plain' not supported for bodyType=Handles");
  }

  @Test
  void decoderMessagesLoseTheirJavaNames() {
    assertThat(
            ApiErrors.withoutJavaNames(
                "Cannot deserialize value of type `dev.cumulus.auth.session.web.Controller$LoginRequest`"
                    + " from Array value"))
        .isEqualTo("Cannot deserialize value of type LoginRequest from Array value");
    assertThat(
            ApiErrors.withoutJavaNames(
                "Bad body for: public reactor.core.publisher.Mono<java.lang.Object>"
                    + " dev.cumulus.X.login(java.lang.String)"))
        .isEqualTo("Bad body");
    assertThat(ApiErrors.withoutJavaNames("Unexpected character ('o' (code 111)) at 1.2"))
        .isEqualTo("Unexpected character ('o' (code 111)) at 1.2");
  }
}
