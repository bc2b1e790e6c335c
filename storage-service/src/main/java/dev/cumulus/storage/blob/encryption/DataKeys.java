package dev.cumulus.storage.blob.encryption;

import reactor.core.publisher.Mono;

/** The data key (32 bytes, unwrapped) of an owner (a tenant), created on first use. */
@FunctionalInterface
public interface DataKeys {

  Mono<byte[]> of(String owner);
}
