package dev.cumulus.function.sandbox.application;

import dev.cumulus.function.common.domain.FunctionErrors;
import dev.cumulus.function.sandbox.domain.Deployment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Invocations running at once, per tenant (its limit) and per function (its reserved concurrency);
 * beyond either an invocation is throttled with {@code TooManyRequestsException}. Counted per
 * service replica.
 */
final class Concurrency {

  private final int tenantLimit;
  private final Map<String, AtomicInteger> tenants = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> functions = new ConcurrentHashMap<>();

  Concurrency(int tenantLimit) {
    this.tenantLimit = tenantLimit;
  }

  /** A taken place; releasing it twice releases it once. */
  static final class Slot {
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicInteger tenant;
    private final AtomicInteger function;

    private Slot(AtomicInteger tenant, AtomicInteger function) {
      this.tenant = tenant;
      this.function = function;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        tenant.decrementAndGet();
        function.decrementAndGet();
      }
    }
  }

  Slot acquire(Deployment deployment) {
    AtomicInteger tenant = tenants.computeIfAbsent(deployment.tenantId(), t -> new AtomicInteger());
    AtomicInteger function =
        functions.computeIfAbsent(
            deployment.serviceId() + "/" + deployment.functionName(), f -> new AtomicInteger());
    if (tenant.incrementAndGet() > tenantLimit) {
      tenant.decrementAndGet();
      throw FunctionErrors.tooManyRequests(
          "Rate Exceeded: the tenant's concurrency limit of " + tenantLimit + " is reached");
    }
    Integer reserved = deployment.reservedConcurrency();
    if (function.incrementAndGet() > (reserved == null ? Integer.MAX_VALUE : reserved)) {
      function.decrementAndGet();
      tenant.decrementAndGet();
      throw FunctionErrors.tooManyRequests(
          "Rate Exceeded: the function's reserved concurrency of " + reserved + " is reached");
    }
    return new Slot(tenant, function);
  }

  int running(String tenantId) {
    AtomicInteger count = tenants.get(tenantId);
    return count == null ? 0 : count.get();
  }
}
