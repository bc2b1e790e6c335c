package dev.cumulus.platform.events;

import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.PostgresServerAccess;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * A relay in its own JVM, publishing one event at a time with a pause, so a test can kill it with
 * SIGKILL in the middle of a batch. Arguments: postgres-url database bootstrap-servers batch-size.
 */
public final class SlowRelayProcess {

  private SlowRelayProcess() {}

  public static void main(String[] args) {
    PostgresServer pg = PostgresServerAccess.fromUrl(args[0]);
    OutboxFixture fixture = new OutboxFixture(pg, args[1]);
    KafkaEventPublisher kafka = KafkaEventPublisher.connect(args[2], "slow-relay");
    EventPublisher slow =
        batch ->
            Flux.fromIterable(batch)
                .concatMap(
                    e -> kafka.publish(List.of(e)).then().delayElement(Duration.ofMillis(15)))
                .then();
    OutboxRelay relay = fixture.relay(slow, Integer.parseInt(args[3]));
    System.out.println("relay started");
    while (true) {
      relay.drain().block();
    }
  }
}
