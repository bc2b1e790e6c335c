package dev.cumulus.queue.sqs.web;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.sigv4.SigV4Authenticator;
import dev.cumulus.queue.config.QueueProperties;
import dev.cumulus.queue.queues.application.MessageService;
import dev.cumulus.queue.queues.application.MoveTaskService;
import dev.cumulus.queue.queues.application.QueueService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.ObjectMapper;

/** The SQS JSON protocol's routes at {@code cumulus.queue.sqs.path-prefix}. */
@Configuration(proxyBeanMethods = false)
class SqsConfiguration {

  @Bean
  SqsOperations sqsOperations(
      QueueService queues, MessageService messages, MoveTaskService moveTasks) {
    return new SqsOperations(
        queues, new SqsMessageOperations(messages), new SqsMoveTaskOperations(moveTasks));
  }

  @Bean
  RouterFunction<ServerResponse> sqsRoutes(
      QueueProperties properties,
      SigV4Authenticator authenticator,
      InstanceRegistry instances,
      SqsOperations operations,
      ObjectMapper json) {
    return new SqsRoutes(properties.sqs().pathPrefix(), authenticator, instances, operations, json)
        .routes();
  }
}
