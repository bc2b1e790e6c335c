package dev.cumulus.function.functions.application;

import reactor.core.publisher.Mono;

/**
 * What other features keep per function and drop with it (a port: e.g. event source mappings),
 * called inside the deleting transaction.
 */
public interface FunctionDeletions {

  Mono<Void> functionDeleted(String serviceId, String functionName);

  Mono<Void> instanceDeleted(String serviceId);
}
