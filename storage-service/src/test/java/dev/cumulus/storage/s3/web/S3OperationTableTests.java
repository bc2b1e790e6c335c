package dev.cumulus.storage.s3.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/** Which operation of {@link S3Api}'s table a request names, and which requests name none. */
class S3OperationTableTests {

  // The handlers are never called here: operations without their services.
  final S3OperationTable table =
      S3Api.table(
          new S3BucketOperations(null, null, "us-east-1"),
          new S3ObjectOperations(null, null, null, null),
          new S3MultipartOperations(null, null, null),
          new S3VersionOperations(null, null),
          new S3BucketConfigurations(null, null),
          new S3EncryptionOperations(null),
          new S3AclOperations(null, null),
          new S3PolicyOperations(null),
          new S3ObjectLockOperations(null, null),
          new S3TaggingOperations(null, null),
          new S3PostObjectOperations(null, null, List.of("us-east-1"), null, null, null, null));

  @Test
  void everyOperationHasItsOwnName() {
    List<String> names = table.all().stream().map(S3Operation::name).toList();
    assertThat(names).doesNotHaveDuplicates().hasSize(60);
  }

  @Test
  void requestsNameTheirOperationByLevelMethodSubResourceAndHeaders() {
    assertThat(operation(HttpMethod.GET, null, null, "")).isEqualTo("ListBuckets");
    assertThat(operation(HttpMethod.PUT, "b", null, "")).isEqualTo("CreateBucket");
    assertThat(operation(HttpMethod.GET, "b", null, "prefix=a&max-keys=2"))
        .isEqualTo("ListObjects");
    assertThat(operation(HttpMethod.GET, "b", null, "list-type=2&prefix=a"))
        .isEqualTo("ListObjectsV2");
    assertThat(operation(HttpMethod.GET, "b", null, "versioning")).isEqualTo("GetBucketVersioning");
    assertThat(operation(HttpMethod.POST, "b", null, "delete")).isEqualTo("DeleteObjects");
    assertThat(operation(HttpMethod.GET, "b", null, "uploads")).isEqualTo("ListMultipartUploads");
    assertThat(operation(HttpMethod.PUT, "b", "k", "")).isEqualTo("PutObject");
    assertThat(operation(HttpMethod.PUT, "b", "k", "", "x-amz-copy-source", "b/other"))
        .isEqualTo("CopyObject");
    assertThat(operation(HttpMethod.GET, "b", "k", "versionId=v1")).isEqualTo("GetObject");
    assertThat(operation(HttpMethod.GET, "b", "k", "attributes&versionId=v1"))
        .isEqualTo("GetObjectAttributes");
    assertThat(operation(HttpMethod.POST, "b", "k", "uploads")).isEqualTo("CreateMultipartUpload");
    assertThat(operation(HttpMethod.PUT, "b", "k", "uploadId=u&partNumber=1"))
        .isEqualTo("UploadPart");
    assertThat(
            operation(
                HttpMethod.PUT, "b", "k", "partNumber=1&uploadId=u", "x-amz-copy-source", "b/o"))
        .isEqualTo("UploadPartCopy");
    assertThat(operation(HttpMethod.DELETE, "b", "k", "uploadId=u"))
        .isEqualTo("AbortMultipartUpload");
    assertThat(operation(HttpMethod.GET, "b", null, "tagging")).isEqualTo("GetBucketTagging");
    assertThat(operation(HttpMethod.PUT, "b", null, "tagging")).isEqualTo("PutBucketTagging");
    assertThat(operation(HttpMethod.DELETE, "b", null, "tagging")).isEqualTo("DeleteBucketTagging");
    assertThat(operation(HttpMethod.GET, "b", "k", "tagging")).isEqualTo("GetObjectTagging");
    assertThat(
            operation(
                HttpMethod.POST, "b", null, "", "Content-Type", "multipart/form-data; boundary=x"))
        .isEqualTo("PostObject");
    assertThat(find(HttpMethod.POST, "b", null, "", "Content-Type", "text/plain")).isNull();
    assertThat(
            find(HttpMethod.POST, "b", "k", "", "Content-Type", "multipart/form-data; boundary=x"))
        .isNull();
  }

  @Test
  void accessControlOperationsAreNamedAsIamNamesTheirActions() {
    assertThat(operation(HttpMethod.PUT, "b", null, "acl")).isEqualTo("PutBucketAcl");
    assertThat(operation(HttpMethod.PUT, "b", "k", "acl")).isEqualTo("PutObjectAcl");
    assertThat(operation(HttpMethod.GET, "b", null, "policy")).isEqualTo("GetBucketPolicy");
    assertThat(operation(HttpMethod.GET, "b", null, "policyStatus"))
        .isEqualTo("GetBucketPolicyStatus");
    assertThat(operation(HttpMethod.DELETE, "b", null, "publicAccessBlock"))
        .isEqualTo("DeletePublicAccessBlock");
    assertThat(operation(HttpMethod.PUT, "b", null, "ownershipControls"))
        .isEqualTo("PutBucketOwnershipControls");
    // Every operation in the table has its IAM action, so a policy can name it.
    for (S3Operation operation : table.all()) {
      S3Request request =
          new S3Request(
              operation.method(),
              "b",
              "k",
              java.util.Map.of(),
              new org.springframework.http.HttpHeaders());
      if (!operation.name().equals("ListBuckets")) {
        assertThat(S3Actions.of(operation.name(), request)).as(operation.name()).isNotNull();
      }
    }
  }

  @Test
  void parametersThatNameNoSubResourceDoNotChangeTheOperation() {
    // The SDK's x-id and a presigned URL's signature.
    assertThat(operation(HttpMethod.GET, "b", "k", "x-id=GetObject&X-Amz-Signature=abc"))
        .isEqualTo("GetObject");
    assertThat(operation(HttpMethod.GET, "b", "k", "response-content-type=text/plain"))
        .isEqualTo("GetObject");
  }

  @Test
  void operationsThisEndpointDoesNotServeAreNotInTheTable() {
    assertThat(find(HttpMethod.POST, "b", null, "tagging")).isNull();
    assertThat(find(HttpMethod.PUT, "b", "k", "object-lock")).isNull();
    assertThat(find(HttpMethod.GET, "b", "k", "policy")).isNull();
    assertThat(find(HttpMethod.PUT, "b", null, "website")).isNull();
    assertThat(find(HttpMethod.POST, "b", null, "")).isNull();
    assertThat(find(HttpMethod.DELETE, null, null, "")).isNull();
    // UploadPart without a part number.
    assertThat(find(HttpMethod.PUT, "b", "k", "uploadId=u")).isNull();
  }

  private String operation(
      HttpMethod method, String bucket, String key, String query, String... headers) {
    S3Operation found = find(method, bucket, key, query, headers);
    assertThat(found).as("%s %s/%s?%s", method, bucket, key, query).isNotNull();
    return found.name();
  }

  private S3Operation find(
      HttpMethod method, String bucket, String key, String query, String... headers) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
      String[] nameValue = pair.split("=", 2);
      parameters
          .computeIfAbsent(nameValue[0], n -> new ArrayList<>())
          .add(nameValue.length > 1 ? nameValue[1] : "");
    }
    HttpHeaders httpHeaders = new HttpHeaders();
    for (int i = 0; i < headers.length; i += 2) {
      httpHeaders.add(headers[i], headers[i + 1]);
    }
    return table.find(new S3Request(method, bucket, key, parameters, httpHeaders)).orElse(null);
  }
}
