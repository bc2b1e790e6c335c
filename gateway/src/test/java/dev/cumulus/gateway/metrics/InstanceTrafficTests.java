package dev.cumulus.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.gateway.metrics.InstanceTraffic.Counters;
import dev.cumulus.gateway.metrics.InstanceTraffic.Key;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceTrafficTests {

  @Test
  void aGenerationIsHandedOverOneDrainLaterSoNoLateAddIsLost() {
    InstanceTraffic traffic = new InstanceTraffic(10);
    traffic.record("t", "i", 7, 200, 3_000_000);
    traffic.record("t", "i", 7, 404, 3_000_000);
    traffic.record("t", "i", 7, 503, 3_000_000);
    assertThat(traffic.drain()).isEmpty();
    Map<Key, Counters> ready = traffic.drain();
    Counters counters = ready.get(new Key("t", "i", 7));
    assertThat(counters.requests.sum()).isEqualTo(3);
    assertThat(counters.clientErrors.sum()).isEqualTo(1);
    assertThat(counters.serverErrors.sum()).isEqualTo(1);
    assertThat(counters.latency[2].sum()).isEqualTo(3);
    assertThat(traffic.drain()).isEmpty();
  }

  @Test
  void keysBeyondTheBoundAreDroppedAndCounted() {
    InstanceTraffic traffic = new InstanceTraffic(2);
    traffic.record("t", "a", 1, 200, 1);
    traffic.record("t", "b", 1, 200, 1);
    traffic.record("t", "c", 1, 200, 1);
    traffic.record("t", "a", 1, 200, 1);
    assertThat(traffic.dropped()).isEqualTo(1);
    Map<Key, Counters> all = traffic.drainAll();
    assertThat(all).hasSize(2);
    assertThat(all.get(new Key("t", "a", 1)).requests.sum()).isEqualTo(2);
  }
}
