package dev.cumulus.storage.access.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketPolicyTests {

  static final Principal OWNER = new Principal("owner-svc", true);
  static final Principal OTHER = new Principal("other-svc", false);

  static AccessRequest get(Principal who, String key, Map<String, List<String>> context) {
    return new AccessRequest(who, "s3:GetObject", AccessRequest.objectArn("b", key), context);
  }

  static BucketPolicy policy(String statements) {
    return BucketPolicy.parse(
        "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}", "b");
  }

  @Test
  void wildcardActionsAndResourcesMatchAsIamMatchesThem() {
    BucketPolicy policy =
        policy(
            """
            {"Effect":"Allow","Principal":"*","Action":"s3:Get*",
             "Resource":"arn:aws:s3:::b/public/*"}
            """);
    assertThat(policy.evaluate(get(Principal.ANONYMOUS, "public/a.txt", Map.of())))
        .isEqualTo(Decision.ALLOW);
    assertThat(policy.evaluate(get(Principal.ANONYMOUS, "private/a.txt", Map.of())))
        .isEqualTo(Decision.NONE);
    // Actions match case-insensitively, resources case-sensitively.
    assertThat(
            policy.evaluate(
                new AccessRequest(
                    OTHER,
                    "s3:getobjectversion",
                    AccessRequest.objectArn("b", "public/x"),
                    Map.of())))
        .isEqualTo(Decision.ALLOW);
    assertThat(policy.evaluate(get(OTHER, "Public/x", Map.of()))).isEqualTo(Decision.NONE);
    assertThat(
            policy.evaluate(
                new AccessRequest(
                    OTHER, "s3:PutObject", AccessRequest.objectArn("b", "public/x"), Map.of())))
        .isEqualTo(Decision.NONE);
    assertThat(policy.isPublic()).isTrue();
  }

  @Test
  void anExplicitDenyWinsOverAnyAllow() {
    BucketPolicy policy =
        policy(
            """
            {"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
            {"Effect":"Deny","Principal":{"AWS":"other-svc"},"Action":"s3:GetObject",
             "Resource":"arn:aws:s3:::b/secret/*"}
            """);
    assertThat(policy.evaluate(get(OTHER, "secret/k", Map.of()))).isEqualTo(Decision.DENY);
    assertThat(policy.evaluate(get(OTHER, "open/k", Map.of()))).isEqualTo(Decision.ALLOW);
    assertThat(policy.evaluate(get(Principal.ANONYMOUS, "secret/k", Map.of())))
        .isEqualTo(Decision.ALLOW);
  }

  @Test
  void principalsNotPrincipalAndNotActionSelectWhomAndWhat() {
    BucketPolicy policy =
        policy(
            """
            {"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::owner-svc:root"]},
             "NotAction":["s3:GetObject","s3:List*"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}
            """);
    AccessRequest put =
        new AccessRequest(OTHER, "s3:PutObject", AccessRequest.objectArn("b", "k"), Map.of());
    assertThat(policy.evaluate(put)).isEqualTo(Decision.DENY);
    assertThat(policy.evaluate(get(OTHER, "k", Map.of()))).isEqualTo(Decision.NONE);
    AccessRequest ownerPut =
        new AccessRequest(OWNER, "s3:PutObject", AccessRequest.objectArn("b", "k"), Map.of());
    assertThat(policy.evaluate(ownerPut)).isEqualTo(Decision.NONE);
    BucketPolicy canonical =
        policy(
            """
            {"Effect":"Allow","Principal":{"CanonicalUser":"other-svc"},"Action":"s3:GetObject",
             "Resource":"arn:aws:s3:::b/*"}
            """);
    assertThat(canonical.evaluate(get(OTHER, "k", Map.of()))).isEqualTo(Decision.ALLOW);
    assertThat(canonical.evaluate(get(Principal.ANONYMOUS, "k", Map.of())))
        .isEqualTo(Decision.NONE);
    assertThat(canonical.isPublic()).isFalse();
  }

  @Test
  void conditionsOnSourceIpSecureTransportPrefixAndAcl() {
    BucketPolicy policy =
        policy(
            """
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",
             "Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]},
                          "Bool":{"aws:SecureTransport":"true"}}}
            """);
    assertThat(policy.evaluate(get(OTHER, "k", ctx("10.1.2.3", "true")))).isEqualTo(Decision.ALLOW);
    assertThat(policy.evaluate(get(OTHER, "k", ctx("2001:db8::1", "true"))))
        .isEqualTo(Decision.ALLOW);
    assertThat(policy.evaluate(get(OTHER, "k", ctx("11.1.2.3", "true")))).isEqualTo(Decision.NONE);
    assertThat(policy.evaluate(get(OTHER, "k", ctx("10.1.2.3", "false")))).isEqualTo(Decision.NONE);
    assertThat(policy.isPublic()).as("pinned to address ranges").isFalse();

    BucketPolicy deny =
        policy(
            """
            {"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*",
             "Condition":{"StringNotEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}
            """);
    AccessRequest noAcl =
        new AccessRequest(OTHER, "s3:PutObject", AccessRequest.objectArn("b", "k"), Map.of());
    assertThat(deny.evaluate(noAcl))
        .as("a negated operator holds without its key")
        .isEqualTo(Decision.DENY);
    AccessRequest withAcl =
        new AccessRequest(
            OTHER,
            "s3:PutObject",
            AccessRequest.objectArn("b", "k"),
            Map.of("s3:x-amz-acl", List.of("bucket-owner-full-control")));
    assertThat(deny.evaluate(withAcl)).isEqualTo(Decision.NONE);

    BucketPolicy list =
        policy(
            """
            {"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b",
             "Condition":{"StringLike":{"s3:prefix":["home/*","shared/?"]},
                          "NumericLessThanEquals":{"s3:max-keys":"100"}}}
            """);
    assertThat(list.evaluate(listing("home/ada/", "10"))).isEqualTo(Decision.ALLOW);
    assertThat(list.evaluate(listing("shared/x", "100"))).isEqualTo(Decision.ALLOW);
    assertThat(list.evaluate(listing("shared/xy", "100"))).isEqualTo(Decision.NONE);
    assertThat(list.evaluate(listing("home/", "1000"))).isEqualTo(Decision.NONE);
    AccessRequest noPrefix =
        new AccessRequest(OTHER, "s3:ListBucket", AccessRequest.bucketArn("b"), Map.of());
    assertThat(list.evaluate(noPrefix))
        .as("a missing key fails a positive operator")
        .isEqualTo(Decision.NONE);
  }

  @Test
  void ifExistsAndNullTreatAMissingKeyAsIamDoes() {
    BucketPolicy ifExists =
        policy(
            """
            {"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b",
             "Condition":{"StringEqualsIfExists":{"s3:prefix":"docs/"}}}
            """);
    assertThat(
            ifExists.evaluate(
                new AccessRequest(OTHER, "s3:ListBucket", "arn:aws:s3:::b", Map.of())))
        .isEqualTo(Decision.ALLOW);
    assertThat(ifExists.evaluate(listing("other/", "1"))).isEqualTo(Decision.NONE);
    BucketPolicy isNull =
        policy(
            """
            {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*",
             "Condition":{"Null":{"aws:PrincipalAccount":"true"}}}
            """);
    assertThat(isNull.evaluate(get(Principal.ANONYMOUS, "k", Map.of()))).isEqualTo(Decision.DENY);
    assertThat(
            isNull.evaluate(get(OTHER, "k", Map.of("aws:principalaccount", List.of("other-svc")))))
        .isEqualTo(Decision.NONE);
  }

  @Test
  void malformedPoliciesAreRefusedWithTheReason() {
    assertMalformed("not json", "invalid Json");
    assertMalformed("{\"Statement\":[]}", "Statement is empty");
    assertMalformed(
        "{\"Statement\":[{\"Effect\":\"Maybe\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b\"}]}",
        "Invalid effect");
    assertMalformed(
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b\"}]}",
        "Missing required field Principal");
    assertMalformed(
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:s3:::b\"}]}",
        "invalid action");
    assertMalformed(
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::other/*\"}]}",
        "invalid resource");
    assertMalformed(
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b\","
            + "\"Condition\":{\"StringEqualz\":{\"s3:prefix\":\"a\"}}}]}",
        "Invalid Condition type");
    assertMalformed(
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b\","
            + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/33\"}}}]}",
        "Invalid IP address");
    assertMalformed(
        "{\"Version\":\"2020-01-01\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b\"}]}",
        "Invalid policy version");
    assertMalformed("{\"Statement\":[],\"Extra\":1}", "Unknown field Extra");
  }

  static void assertMalformed(String json, String reason) {
    assertThatThrownBy(() -> BucketPolicy.parse(json, "b"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining(reason);
  }

  static Map<String, List<String>> ctx(String ip, String secure) {
    return Map.of("aws:sourceip", List.of(ip), "aws:securetransport", List.of(secure));
  }

  static AccessRequest listing(String prefix, String maxKeys) {
    return new AccessRequest(
        OTHER,
        "s3:ListBucket",
        AccessRequest.bucketArn("b"),
        Map.of("s3:prefix", List.of(prefix), "s3:max-keys", List.of(maxKeys)));
  }
}
