package dev.cumulus.storage.object.application;

import dev.cumulus.storage.blob.application.ReferencedBlobs;
import dev.cumulus.storage.object.persistence.ObjectRepository;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The files objects still point to, for the blob janitor. */
@Component
class ObjectBlobReferences implements ReferencedBlobs {

  private final ObjectRepository objects;

  ObjectBlobReferences(ObjectRepository objects) {
    this.objects = objects;
  }

  @Override
  public Mono<Set<String>> referencedAmong(List<String> paths) {
    return objects.referencedAmong(paths);
  }
}
