package dev.cumulus.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplicasTests {

  private final AtomicLong clock = new AtomicLong(1_000);

  private Replicas replicas(String setting) {
    return new Replicas(
        Replicas.parse("CUMULUS_STORAGE_URL", setting), Duration.ofSeconds(5), clock::get);
  }

  private List<Integer> picks(Replicas replicas, int count) {
    List<Integer> picks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      picks.add(replicas.pick());
    }
    return picks;
  }

  @Test
  void oneUrlIsOneReplicaAsBefore() {
    assertThat(Replicas.parse("CUMULUS_STORAGE_URL", "http://storage:8082"))
        .containsExactly(URI.create("http://storage:8082"));
  }

  @Test
  void commaSeparatedUrlsAreReplicasBlanksIgnored() {
    assertThat(Replicas.parse("V", " http://a:1 ,http://b:2,, https://c "))
        .containsExactly(
            URI.create("http://a:1"), URI.create("http://b:2"), URI.create("https://c"));
  }

  @Test
  void badSettingsAreRefusedNamingTheVariable() {
    for (String bad :
        List.of("", " , ", "storage:8082", "ftp://a", "http://a,nonsense", "http://a b")) {
      assertThatThrownBy(() -> Replicas.parse("CUMULUS_STORAGE_URL", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("CUMULUS_STORAGE_URL");
    }
  }

  @Test
  void requestsGoRoundRobin() {
    assertThat(picks(replicas("http://a:1,http://b:2,http://c:3"), 7))
        .containsExactly(0, 1, 2, 0, 1, 2, 0);
  }

  @Test
  void aReplicaSetAsideIsSkippedUntilItsTimeIsOverThenTriedAgain() {
    Replicas replicas = replicas("http://a:1,http://b:2,http://c:3");
    assertThat(replicas.setAside(1)).isTrue();
    assertThat(replicas.setAside(1)).as("already aside: logged once").isFalse();
    assertThat(replicas.isSetAside(1)).isTrue();
    assertThat(picks(replicas, 6)).doesNotContain(1);

    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(replicas.isSetAside(1)).isFalse();
    assertThat(picks(replicas, 3)).contains(1);
    // Tried again and it failed again: aside again.
    assertThat(replicas.setAside(1)).isTrue();
    assertThat(picks(replicas, 6)).doesNotContain(1);
  }

  @Test
  void whenEveryReplicaIsAsideTheRoundRobinOneIsTriedAnyway() {
    Replicas replicas = replicas("http://a:1,http://b:2");
    replicas.setAside(0);
    replicas.setAside(1);
    assertThat(picks(replicas, 4)).containsExactly(0, 1, 0, 1);
  }

  @Test
  void aRetryGoesToTheNextUntriedReplicaPreferringThoseNotAside() {
    Replicas replicas = replicas("http://a:1,http://b:2,http://c:3,http://d:4");
    assertThat(replicas.pickAfter(1, 1L << 1)).isEqualTo(2);
    replicas.setAside(2);
    assertThat(replicas.pickAfter(1, 1L << 1)).isEqualTo(3);
    assertThat(replicas.pickAfter(3, 1L << 1 | 1L << 3)).isEqualTo(0);
    // Only an aside replica is left untried: try it rather than give up.
    assertThat(replicas.pickAfter(0, 1L << 0 | 1L << 1 | 1L << 3)).isEqualTo(2);
    assertThat(replicas.pickAfter(2, 0b1111)).isEqualTo(-1);
  }

  @Test
  void theTargetKeepsThePathAndQueryOnTheReplicasAddress() {
    Replicas replicas = replicas("http://a:1/ignored,HTTP://b:2");
    URI url = URI.create("http://a:1/s3/bucket/a%20key?uploads=&x=%2F");
    assertThat(replicas.target(1, url))
        .isEqualTo(URI.create("http://b:2/s3/bucket/a%20key?uploads=&x=%2F"));
    assertThat(replicas.target(0, URI.create("http://a:1/api/x")))
        .isEqualTo(URI.create("http://a:1/api/x"));
  }
}
