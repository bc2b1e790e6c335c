package dev.cumulus.auth.audit.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Builds the {@code changes} of an audit entry: {@code {"field": {"from": a, "to": b}}}. */
public final class Changes {

  private final Map<String, Object> fields = new LinkedHashMap<>();

  public static Changes of() {
    return new Changes();
  }

  /** Records the field when its value changed. */
  public Changes diff(String field, Object from, Object to) {
    if (!Objects.equals(from, to)) {
      Map<String, Object> change = new LinkedHashMap<>();
      change.put("from", from);
      change.put("to", to);
      fields.put(field, change);
    }
    return this;
  }

  /** Records a field whose value must not be written down (a password): only that it changed. */
  public Changes redacted(String field, boolean changed) {
    if (changed) {
      fields.put(field, "changed");
    }
    return this;
  }

  public boolean isEmpty() {
    return fields.isEmpty();
  }

  public Map<String, Object> toMap() {
    return fields;
  }
}
