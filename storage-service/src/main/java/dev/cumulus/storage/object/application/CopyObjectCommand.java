package dev.cumulus.storage.object.application;

import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.blob.encryption.CustomerKey;
import dev.cumulus.storage.object.domain.ObjectLockRequest;
import dev.cumulus.storage.object.domain.WriteCondition;
import java.util.Map;

/**
 * CopyObject: one version of an object copied to another key, possibly in another bucket of the
 * instance.
 *
 * @param sourceVersionId null for the source's current version
 * @param metadata the copy's content type and user metadata, or null to keep the source's
 * @param encrypt encrypt the copy at rest even when the target bucket does not by default, whether
 *     or not the source was
 * @param tags the copy's tags, or null to keep the source's
 * @param condition what the target key's current object must be for the copy to be written
 *     (If-Match, If-None-Match: S3's conditional writes, as for PutObject), null for no condition
 * @param lock the Object Lock the copy asks for (the source's is not copied), null for none
 * @param sourceCustomerKey the key that sealed the source (SSE-C), null when the client did not
 *     seal it
 * @param targetCustomerKey the key to seal the copy with (SSE-C), null for none
 */
public record CopyObjectCommand(
    Instance instance,
    String sourceBucket,
    String sourceKey,
    String sourceVersionId,
    String targetBucket,
    String targetKey,
    ObjectMetadata metadata,
    boolean encrypt,
    Map<String, String> tags,
    WriteCondition condition,
    ObjectLockRequest lock,
    CustomerKey sourceCustomerKey,
    CustomerKey targetCustomerKey) {}
