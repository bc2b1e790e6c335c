package dev.cumulus.platform.context;

import io.micrometer.context.ThreadLocalAccessor;
import org.slf4j.MDC;

/**
 * Copies one Reactor context key into the SLF4J MDC on whatever thread runs the work, so log lines
 * carry the request and tenant ids (Boot's structured logging writes MDC entries as fields).
 */
public final class MdcThreadLocalAccessor implements ThreadLocalAccessor<String> {

  private final String key;

  public MdcThreadLocalAccessor(String key) {
    this.key = key;
  }

  @Override
  public Object key() {
    return key;
  }

  @Override
  public String getValue() {
    return MDC.get(key);
  }

  @Override
  public void setValue(String value) {
    MDC.put(key, value);
  }

  @Override
  public void setValue() {
    MDC.remove(key);
  }
}
