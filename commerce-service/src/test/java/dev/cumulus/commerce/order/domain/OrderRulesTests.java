package dev.cumulus.commerce.order.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class OrderRulesTests {

  @Test
  void statusesMoveForwardOnly() {
    assertThat(OrderStatus.PAID.mayPatchTo(OrderStatus.SHIPPED)).isTrue();
    assertThat(OrderStatus.SHIPPED.mayPatchTo(OrderStatus.DELIVERED)).isTrue();
    assertThat(OrderStatus.SHIPPED.mayPatchTo(OrderStatus.PAID)).isFalse();
    assertThat(OrderStatus.PENDING.mayPatchTo(OrderStatus.SHIPPED)).isFalse();
    assertThat(OrderStatus.PENDING.mayPatchTo(OrderStatus.PAID)).isFalse();
    for (OrderStatus next : OrderStatus.values()) {
      assertThat(OrderStatus.REFUNDED.mayPatchTo(next)).isEqualTo(next == OrderStatus.REFUNDED);
    }
  }

  @Test
  void moneyConvertsExactlyPerCurrency() {
    assertThat(Money.toMinor(new BigDecimal("109.97"), "usd")).isEqualTo(10997);
    assertThat(Money.toMinor(new BigDecimal("500"), "jpy")).isEqualTo(500);
    assertThat(Money.toMajor(10997, "usd")).isEqualByComparingTo("109.97");
    assertThatThrownBy(() -> Money.toMinor(new BigDecimal("1.005"), "usd"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Money.toMinor(new BigDecimal("1.5"), "jpy"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Money.currency("EUR")).isEqualTo("eur");
    assertThatThrownBy(() -> Money.currency("xyz")).isInstanceOf(IllegalArgumentException.class);
  }
}
