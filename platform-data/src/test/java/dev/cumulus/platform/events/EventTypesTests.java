package dev.cumulus.platform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventTypesTests {

  @Test
  void namesFollowTheCumulusConvention() {
    assertThat(EventTypes.type("storage", "object", "created"))
        .isEqualTo("dev.cumulus.storage.object.created.v1");
    assertThat(EventTypes.source("storage")).isEqualTo("/storage");
    assertThat(EventTypes.serviceName("storage-service")).isEqualTo("storage");
    assertThat(EventTypes.serviceName("gateway")).isEqualTo("gateway");
  }

  @Test
  void rejectsPartsThatWouldBreakTheType() {
    assertThatThrownBy(() -> EventTypes.type("storage", "Object.Created", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
