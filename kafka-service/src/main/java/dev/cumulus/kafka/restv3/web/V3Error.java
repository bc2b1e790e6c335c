package dev.cumulus.kafka.restv3.web;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;

/**
 * Confluent REST Proxy's error body: {@code {"error_code":40403,"message":"..."}}, where the code
 * is the HTTP status followed by a two-digit detail (40401 unknown topic, 40402 unknown partition,
 * 40403 unknown cluster, 40002 bad record...).
 */
public record V3Error(int error_code, String message) {

  static V3Error of(ApiException e) {
    int status = e.kind().defaultStatus().value();
    return new V3Error(status * 100 + detail(e), e.getMessage());
  }

  static int status(V3Error error) {
    return error.error_code() / 100;
  }

  private static int detail(ApiException e) {
    String code = e.code() == null ? "" : e.code();
    return switch (code) {
      case "UnknownTopicOrPartition" ->
          e.getMessage() != null && e.getMessage().contains("partition") ? 2 : 1;
      case "InstanceNotFound", "NoSuchInstance" -> 3;
      case "GroupIdNotFound" -> 4;
      case "TopicAlreadyExists" -> 2;
      default -> e.kind() == ErrorKind.BAD_REQUEST ? 2 : 0;
    };
  }
}
