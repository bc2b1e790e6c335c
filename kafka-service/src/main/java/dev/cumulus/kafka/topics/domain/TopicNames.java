package dev.cumulus.kafka.topics.domain;

import dev.cumulus.platform.error.ErrorKind;
import java.util.regex.Pattern;

/**
 * Where an instance's topics and consumer groups live on the broker. Every name of a tenant starts
 * with {@code tenant.<tenantId>.}: its event topic is {@code tenant.<tenantId>.events}, and an
 * instance's topics and groups are {@code tenant.<tenantId>.i.<serviceId>.<name>}. The API shows
 * names without the prefix; the tenant's Kafka credentials get ACLs on the prefix.
 */
public record TopicNames(String tenantId, String serviceId) {

  /** Kafka's legal topic characters; ids must not contain '.', which separates the prefix. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  /** Kafka's limit on topic names. */
  private static final int MAX_TOPIC_LENGTH = 249;

  private static final String TENANT_ROOT = "tenant.";

  public TopicNames {
    requireId(tenantId, "tenant id");
    requireId(serviceId, "service id");
  }

  /** The prefix of everything one tenant owns on the broker. */
  public static String tenantPrefix(String tenantId) {
    requireId(tenantId, "tenant id");
    return TENANT_ROOT + tenantId + ".";
  }

  /** The topic every platform event of the tenant is delivered to. */
  public static String eventTopic(String tenantId) {
    return tenantPrefix(tenantId) + "events";
  }

  /** The prefix of this instance's topics and groups. */
  public String prefix() {
    return tenantPrefix(tenantId) + "i." + serviceId + ".";
  }

  /** The broker's name of a topic the tenant names; rejects names Kafka would reject. */
  public String topic(String name) {
    return qualified(name, "topic name");
  }

  /** The broker's name of a consumer group the tenant names. */
  public String group(String name) {
    return qualified(name, "consumer group");
  }

  public boolean owns(String brokerName) {
    return brokerName.startsWith(prefix()) && brokerName.length() > prefix().length();
  }

  /** The tenant's name of one of this instance's broker names. */
  public String local(String brokerName) {
    if (!owns(brokerName)) {
      throw new IllegalArgumentException(brokerName + " is not under " + prefix());
    }
    return brokerName.substring(prefix().length());
  }

  private String qualified(String name, String what) {
    if (name == null || name.isBlank()) {
      throw KafkaErrors.missingParameter(what);
    }
    if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw KafkaErrors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidTopicException",
          "Invalid "
              + what
              + " '"
              + name
              + "': only ASCII letters, digits, '.', '_' and '-' are allowed");
    }
    String full = prefix() + name;
    if (full.length() > MAX_TOPIC_LENGTH) {
      throw KafkaErrors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidTopicException",
          "Invalid "
              + what
              + " '"
              + name
              + "': at most "
              + (MAX_TOPIC_LENGTH - prefix().length())
              + " characters");
    }
    return full;
  }

  private static void requireId(String id, String what) {
    if (id == null || !ID.matcher(id).matches()) {
      throw KafkaErrors.invalidRequest("Invalid " + what + ": " + id);
    }
  }
}
