package dev.cumulus.function.functions.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.function.functions.domain.Function;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class InvokeTargetsTests {

  final AtomicLong nanos = new AtomicLong();
  final InvokeTargets targets = new InvokeTargets(Duration.ofSeconds(2), nanos::get);
  final AtomicInteger reads = new AtomicInteger();
  final Function function =
      new Function(
          "s",
          "t",
          "f",
          Function.LATEST,
          UUID.randomUUID(),
          "python3.11",
          "python3.11",
          "app.handler",
          null,
          "",
          3,
          128,
          Map.of(),
          false,
          null,
          "sha",
          1,
          Instant.EPOCH,
          Instant.EPOCH);

  Mono<Function> read() {
    return Mono.fromSupplier(
        () -> {
          reads.incrementAndGet();
          return function;
        });
  }

  Function get(String service, String name, String qualifier) {
    return targets.get(service, name, qualifier, this::read).block();
  }

  @Test
  void aFunctionInvokedAgainIsNotReadAgain() {
    assertThat(get("s", "f", "$LATEST")).isSameAs(function);
    assertThat(get("s", "f", "$LATEST")).isSameAs(function);
    assertThat(reads).hasValue(1);

    get("s", "f", "1");
    get("s", "g", "$LATEST");
    get("other", "f", "$LATEST");
    assertThat(reads).hasValue(4);
  }

  @Test
  void aChangedFunctionIsReadAgainUnderEveryQualifier() {
    get("s", "f", "$LATEST");
    get("s", "f", "live");
    get("s", "g", "$LATEST");

    targets.forget("s", "f");
    get("s", "f", "$LATEST");
    get("s", "f", "live");
    get("s", "g", "$LATEST");
    assertThat(reads).hasValue(5);
  }

  @Test
  void aDeletedInstanceForgetsAllItsFunctions() {
    get("s", "f", "$LATEST");
    get("t", "f", "$LATEST");

    targets.forgetAll("s");
    get("s", "f", "$LATEST");
    get("t", "f", "$LATEST");
    assertThat(reads).hasValue(3);
  }

  @Test
  void aFailedReadIsNotKept() {
    Mono<Function> missing =
        Mono.defer(
            () -> {
              reads.incrementAndGet();
              return Mono.error(new IllegalStateException("not found"));
            });
    assertThatThrownBy(() -> targets.get("s", "f", "$LATEST", () -> missing).block())
        .hasMessageContaining("not found");
    assertThat(get("s", "f", "$LATEST")).isSameAs(function);
    assertThat(reads).hasValue(2);
  }

  @Test
  void aFunctionIsReadAgainOnceItsEntryExpires() {
    get("s", "f", "$LATEST");
    nanos.addAndGet(Duration.ofMillis(1_900).toNanos());
    get("s", "f", "$LATEST");
    assertThat(reads).hasValue(1);

    nanos.addAndGet(Duration.ofMillis(200).toNanos());
    get("s", "f", "$LATEST");
    assertThat(reads).hasValue(2);
  }
}
