package dev.cumulus.database.nosql.web;

import dev.cumulus.platform.instance.Instance;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One operation of the DynamoDB JSON protocol: request members in, response members out. */
@FunctionalInterface
interface DynamoOperation {

  /**
   * @param region the region the request was signed for (ARNs name it)
   */
  Mono<ObjectNode> handle(Instance instance, String region, JsonNode request);
}
