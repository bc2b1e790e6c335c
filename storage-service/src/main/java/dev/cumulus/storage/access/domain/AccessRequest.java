package dev.cumulus.storage.access.domain;

import java.util.List;
import java.util.Map;

/**
 * One request as a bucket policy sees it.
 *
 * @param action the IAM action, e.g. {@code s3:GetObject}
 * @param resource its ARN: {@code arn:aws:s3:::bucket} or {@code arn:aws:s3:::bucket/key}
 * @param context the condition keys it carries, lower-cased ({@code aws:sourceip}), with their
 *     values; a key it does not carry is absent
 */
public record AccessRequest(
    Principal principal, String action, String resource, Map<String, List<String>> context) {

  public static String bucketArn(String bucket) {
    return "arn:aws:s3:::" + bucket;
  }

  public static String objectArn(String bucket, String key) {
    return "arn:aws:s3:::" + bucket + "/" + key;
  }
}
