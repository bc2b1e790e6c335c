package dev.cumulus.storage.access.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bucket policy (IAM policy JSON), compiled once when it is put or first read, so that a request
 * pays no parsing: {@link #evaluate} walks its statements, an explicit Deny winning over any Allow.
 */
public final class BucketPolicy {

  /** AWS's limit on a bucket policy's size. */
  public static final int MAX_BYTES = 20 * 1024;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
  private static final Set<String> STATEMENT =
      Set.of(
          "Sid",
          "Effect",
          "Principal",
          "NotPrincipal",
          "Action",
          "NotAction",
          "Resource",
          "NotResource",
          "Condition");

  private final String json;
  private final List<Statement> statements;
  private final boolean isPublic;

  private BucketPolicy(String json, List<Statement> statements) {
    this.json = json;
    this.statements = List.copyOf(statements);
    this.isPublic = statements.stream().anyMatch(Statement::isPublic);
  }

  /** The policy as it was put. */
  public String json() {
    return json;
  }

  /** Whether it allows anyone at all (S3's "public" policy: GetBucketPolicyStatus, PAB). */
  public boolean isPublic() {
    return isPublic;
  }

  public Decision evaluate(AccessRequest request) {
    boolean allowed = false;
    for (Statement statement : statements) {
      if (statement.applies(request)) {
        if (statement.deny()) {
          return Decision.DENY;
        }
        allowed = true;
      }
    }
    return allowed ? Decision.ALLOW : Decision.NONE;
  }

  /**
   * Parses and checks a policy put on {@code bucket}.
   *
   * @throws PolicyException what S3 answers {@code MalformedPolicy} for
   */
  public static BucketPolicy parse(String json, String bucket) {
    if (json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new PolicyException("Policies must be no larger than 20 KB");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new PolicyException("This policy contains invalid Json");
    }
    if (root == null || !root.isObject()) {
      throw new PolicyException("This policy contains invalid Json");
    }
    for (String name : root.propertyNames()) {
      if (!TOP_LEVEL.contains(name)) {
        throw new PolicyException("Unknown field " + name);
      }
    }
    JsonNode version = root.get("Version");
    if (version != null
        && !(version.isString()
            && (version.stringValue().equals("2012-10-17")
                || version.stringValue().equals("2008-10-17")))) {
      throw new PolicyException("Invalid policy version: " + version);
    }
    JsonNode statementNode = root.get("Statement");
    if (statementNode == null) {
      throw new PolicyException("Missing required field Statement");
    }
    List<Statement> statements = new ArrayList<>();
    for (JsonNode s : statementNode.isArray() ? statementNode : List.of(statementNode)) {
      statements.add(statement(s, bucket));
    }
    if (statements.isEmpty()) {
      throw new PolicyException("Could not parse the policy: Statement is empty!");
    }
    return new BucketPolicy(json, statements);
  }

  private static Statement statement(JsonNode node, String bucket) {
    if (!node.isObject()) {
      throw new PolicyException("Statement must be an object");
    }
    for (String name : node.propertyNames()) {
      if (!STATEMENT.contains(name)) {
        throw new PolicyException("Unknown field " + name);
      }
    }
    String effect = node.path("Effect").isString() ? node.path("Effect").stringValue() : null;
    if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
      throw new PolicyException(
          effect == null ? "Missing required field Effect" : "Invalid effect: " + effect);
    }
    boolean notPrincipal = node.has("NotPrincipal");
    JsonNode principalNode = notPrincipal ? node.get("NotPrincipal") : node.get("Principal");
    if (principalNode == null) {
      throw new PolicyException("Missing required field Principal");
    }
    if (notPrincipal && node.has("Principal")) {
      throw new PolicyException("Principal and NotPrincipal cannot both be set");
    }
    List<String> principals = principals(principalNode);

    boolean notAction = node.has("NotAction");
    List<String> actions =
        strings(notAction ? node.get("NotAction") : node.get("Action"), "Action");
    for (String action : actions) {
      if (!action.equals("*")
          && !(action.regionMatches(true, 0, "s3:", 0, 3) && action.length() > 3)) {
        throw new PolicyException("Policy has invalid action");
      }
    }
    boolean notResource = node.has("NotResource");
    List<String> resources =
        strings(notResource ? node.get("NotResource") : node.get("Resource"), "Resource");
    String arn = AccessRequest.bucketArn(bucket);
    for (String resource : resources) {
      if (!resource.equals(arn) && !resource.startsWith(arn + "/")) {
        throw new PolicyException("Policy has invalid resource");
      }
    }
    List<Condition> conditions = new ArrayList<>();
    JsonNode conditionNode = node.get("Condition");
    if (conditionNode != null) {
      if (!conditionNode.isObject()) {
        throw new PolicyException("Condition must be an object");
      }
      for (Map.Entry<String, JsonNode> operator : conditionNode.properties()) {
        if (!operator.getValue().isObject()) {
          throw new PolicyException("Invalid Condition block for " + operator.getKey());
        }
        for (Map.Entry<String, JsonNode> key : operator.getValue().properties()) {
          conditions.add(
              Condition.of(
                  operator.getKey(),
                  key.getKey(),
                  conditionValues(key.getValue(), operator.getKey())));
        }
      }
    }
    return new Statement(
        effect.equals("Deny"),
        notPrincipal,
        principals,
        notAction,
        actions,
        notResource,
        resources,
        conditions);
  }

  /** {@code "*"}, or {@code {"AWS": ...}} / {@code {"CanonicalUser": ...}}: canonical ids. */
  private static List<String> principals(JsonNode node) {
    if (node.isString()) {
      if (!node.stringValue().equals("*")) {
        throw new PolicyException("Invalid principal in policy");
      }
      return List.of("*");
    }
    if (!node.isObject() || node.isEmpty()) {
      throw new PolicyException("Invalid principal in policy");
    }
    List<String> ids = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (!entry.getKey().equals("AWS") && !entry.getKey().equals("CanonicalUser")) {
        throw new PolicyException("Invalid principal in policy");
      }
      for (String id : strings(entry.getValue(), "Principal")) {
        ids.add(entry.getKey().equals("AWS") ? accountOf(id) : id);
      }
    }
    return ids;
  }

  /** An instance named as an AWS account: its id, or {@code arn:aws:iam::<id>:root}. */
  private static String accountOf(String aws) {
    if (aws.startsWith("arn:aws:iam::")) {
      String rest = aws.substring("arn:aws:iam::".length());
      int colon = rest.indexOf(':');
      if (colon <= 0) {
        throw new PolicyException("Invalid principal in policy");
      }
      return rest.substring(0, colon);
    }
    return aws;
  }

  private static List<String> strings(JsonNode node, String field) {
    if (node == null) {
      throw new PolicyException("Missing required field " + field);
    }
    List<String> values = new ArrayList<>();
    for (JsonNode value : node.isArray() ? node : List.of(node)) {
      if (!value.isString() || value.stringValue().isEmpty()) {
        throw new PolicyException("Invalid " + field + " in policy");
      }
      values.add(value.stringValue());
    }
    if (values.isEmpty()) {
      throw new PolicyException("Missing required field " + field);
    }
    return values;
  }

  private static List<String> conditionValues(JsonNode node, String operator) {
    List<String> values = new ArrayList<>();
    for (JsonNode value : node.isArray() ? node : List.of(node)) {
      if (!(value.isString() || value.isNumber() || value.isBoolean())) {
        throw new PolicyException("Invalid Condition value for " + operator);
      }
      values.add(value.asString());
    }
    return values;
  }

  private record Statement(
      boolean deny,
      boolean notPrincipal,
      List<String> principals,
      boolean notAction,
      List<String> actions,
      boolean notResource,
      List<String> resources,
      List<Condition> conditions) {

    boolean applies(AccessRequest request) {
      return principalMatches(request.principal()) != notPrincipal
          && anyMatch(actions, request.action(), true) != notAction
          && anyMatch(resources, request.resource(), false) != notResource
          && conditions.stream().allMatch(c -> c.holds(request.context()));
    }

    private boolean principalMatches(Principal principal) {
      for (String p : principals) {
        if (p.equals("*") || p.equals(principal.canonicalId())) {
          return true;
        }
      }
      return false;
    }

    private static boolean anyMatch(List<String> patterns, String value, boolean ignoreCase) {
      for (String pattern : patterns) {
        if (Wildcards.matches(pattern, value, ignoreCase)) {
          return true;
        }
      }
      return false;
    }

    /** An Allow for everyone (any principal, or all but some) not pinned to known callers. */
    boolean isPublic() {
      if (deny) {
        return false;
      }
      boolean everyone = notPrincipal || principals.contains("*");
      return everyone && conditions.stream().noneMatch(Condition::restrictsCaller);
    }
  }
}
