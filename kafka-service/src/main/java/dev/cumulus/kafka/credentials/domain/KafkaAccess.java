package dev.cumulus.kafka.credentials.domain;

import dev.cumulus.kafka.topics.domain.TopicNames;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What a tenant's Kafka user may do, as ACLs (everything else is denied by the authorizer): read,
 * write and describe the instance's topics ({@code tenant.<t>.i.<s>.*}), read the tenant's event
 * topic, and use consumer groups under the instance's prefix. Topics are created and deleted
 * through the API, not by clients.
 */
public final class KafkaAccess {

  public static final String MECHANISM = "SCRAM-SHA-512";

  /** The names the API gives users: {@code kafka-} and 20 hex digits. */
  private static final Pattern USERNAME = Pattern.compile("kafka-[0-9a-f]{20}");

  private KafkaAccess() {}

  /** A name the API gives users, {@code kafka-} and 20 hex digits. */
  public static String newUsername(byte[] tenRandomBytes) {
    return "kafka-" + HexFormat.of().formatHex(tenRandomBytes);
  }

  /** Whether the API could have given this name: no other name is looked up. */
  public static boolean isUsername(String name) {
    return name != null && USERNAME.matcher(name).matches();
  }

  public static List<AclBinding> acls(String username, TopicNames names) {
    String principal = principal(username);
    List<AclBinding> acls = new ArrayList<>();
    ResourcePattern topics =
        new ResourcePattern(ResourceType.TOPIC, names.prefix(), PatternType.PREFIXED);
    for (AclOperation op :
        List.of(
            AclOperation.READ,
            AclOperation.WRITE,
            AclOperation.DESCRIBE,
            AclOperation.DESCRIBE_CONFIGS)) {
      acls.add(allow(topics, principal, op));
    }
    ResourcePattern events =
        new ResourcePattern(
            ResourceType.TOPIC, TopicNames.eventTopic(names.tenantId()), PatternType.LITERAL);
    acls.add(allow(events, principal, AclOperation.READ));
    acls.add(allow(events, principal, AclOperation.DESCRIBE));
    ResourcePattern groups =
        new ResourcePattern(ResourceType.GROUP, names.prefix(), PatternType.PREFIXED);
    acls.add(allow(groups, principal, AclOperation.READ));
    acls.add(allow(groups, principal, AclOperation.DESCRIBE));
    return acls;
  }

  public static String principal(String username) {
    return "User:" + username;
  }

  private static AclBinding allow(ResourcePattern pattern, String principal, AclOperation op) {
    return new AclBinding(
        pattern, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
  }
}
