package dev.cumulus.function.sources.application;

import dev.cumulus.function.functions.application.FunctionDeletions;
import dev.cumulus.function.sources.persistence.EventSourceMappingRepository;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** A deleted function, or function instance, takes its event source mappings with it. */
@Component
class MappingsOfDeletedFunctions implements FunctionDeletions {

  private final EventSourceMappingRepository mappings;

  MappingsOfDeletedFunctions(EventSourceMappingRepository mappings) {
    this.mappings = mappings;
  }

  @Override
  public Mono<Void> functionDeleted(String serviceId, String functionName) {
    return mappings.deleteFunction(serviceId, functionName);
  }

  @Override
  public Mono<Void> instanceDeleted(String serviceId) {
    return mappings.deleteAll(serviceId);
  }
}
