package dev.cumulus.database.rds.persistence;

import dev.cumulus.database.rds.config.RdsProperties;
import dev.cumulus.platform.s3.AnyS3Api;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Backups as objects in an S3 bucket, on any S3 API. A dump's length is not known in advance, so it
 * is uploaded as a multipart upload: bytes fill a part buffer ({@code part-size}); a full part is
 * sent while the next one fills; before a buffer is filled again its upload must have finished. So
 * a running backup holds two part buffers at most, whatever the dump's size. A dump smaller than a
 * part is one PutObject. An upload that is not committed is aborted (no parts left billed). Reading
 * back streams the object's body.
 */
public class S3BackupStore implements BackupStore, AutoCloseable {

  public static final String NAME = "s3";
  private static final Logger log = LoggerFactory.getLogger(S3BackupStore.class);
  private static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  private final S3AsyncClient s3;
  private final String bucket;
  private final String prefix;
  private final int partSize;
  private final String where;

  public S3BackupStore(RdsProperties.S3 settings) {
    if (settings.bucket() == null || settings.bucket().isBlank()) {
      throw new IllegalStateException(
          "cumulus.rds.backup-store.type is s3 but no bucket is configured"
              + " (cumulus.rds.backup-store.s3.bucket, env CUMULUS_RDS_BACKUP_S3_BUCKET)");
    }
    long part = settings.partSize().toBytes();
    if (part < MIN_PART_SIZE || part > Integer.MAX_VALUE - 64) {
      throw new IllegalStateException(
          "cumulus.rds.backup-store.s3.part-size must be between 5MB and 2GB, not " + part);
    }
    this.bucket = settings.bucket();
    this.prefix = settings.prefix() == null ? "" : settings.prefix();
    this.partSize = (int) part;
    boolean endpoint = settings.endpoint() != null && !settings.endpoint().isBlank();
    this.where = "bucket '" + bucket + "'" + (endpoint ? " at " + settings.endpoint() : "");
    this.s3 =
        AnyS3Api.builder(
                settings.region(),
                settings.accessKey(),
                settings.secretKey(),
                settings.pathStyle(),
                settings.endpoint())
            .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(32))
            .overrideConfiguration(o -> o.apiCallTimeout(settings.timeout()))
            .build();
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The object's key for a backup's location. */
  public String key(String location) {
    return prefix + location;
  }

  public String bucket() {
    return bucket;
  }

  @Override
  public Upload create(String location) {
    return new MultipartUpload(key(location));
  }

  @Override
  public InputStream open(String location) throws IOException {
    return await(
        s3.getObject(
            r -> r.bucket(bucket).key(key(location)),
            AsyncResponseTransformer.toBlockingInputStream()),
        "read from");
  }

  @Override
  public void delete(String location) throws IOException {
    await(s3.deleteObject(r -> r.bucket(bucket).key(key(location))), "delete from");
  }

  @Override
  public void close() {
    s3.close();
  }

  private final class MultipartUpload extends Upload {

    private final String key;
    private byte[] buffer;
    private byte[] spare;
    private int filled;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private CompletableFuture<CompletedPart> inFlight;
    private boolean committed;
    private boolean closed;

    MultipartUpload(String key) {
      this.key = key;
      this.buffer = new byte[partSize];
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("Upload of " + key + " already closed");
      }
      while (len > 0) {
        int n = Math.min(len, partSize - filled);
        System.arraycopy(b, off, buffer, filled, n);
        filled += n;
        off += n;
        len -= n;
        if (filled == partSize) {
          sendPart();
        }
      }
    }

    /** Sends the filled buffer as the next part, after the previous part has finished. */
    private void sendPart() throws IOException {
      if (uploadId == null) {
        uploadId =
            await(
                    s3.createMultipartUpload(r -> r.bucket(bucket).key(key)),
                    "start a multipart upload to")
                .uploadId();
      }
      finishInFlight();
      int number = parts.size() + 1;
      byte[] sending = buffer;
      int length = filled;
      inFlight =
          s3.uploadPart(
                  r ->
                      r.bucket(bucket)
                          .key(key)
                          .uploadId(uploadId)
                          .partNumber(number)
                          .contentLength((long) length),
                  AsyncRequestBody.fromByteBufferUnsafe(ByteBuffer.wrap(sending, 0, length)))
              .thenApply(
                  done -> CompletedPart.builder().partNumber(number).eTag(done.eTag()).build());
      // The other buffer fills meanwhile; the one being sent is reused only once it is sent.
      buffer = spare != null ? spare : new byte[partSize];
      spare = sending;
      filled = 0;
    }

    private void finishInFlight() throws IOException {
      if (inFlight != null) {
        CompletableFuture<CompletedPart> part = inFlight;
        inFlight = null;
        parts.add(await(part, "upload a part to"));
      }
    }

    @Override
    public void commit() throws IOException {
      if (closed) {
        throw new IOException("Upload of " + key + " already closed");
      }
      if (uploadId == null) {
        int length = filled;
        await(
            s3.putObject(
                r -> r.bucket(bucket).key(key).contentLength((long) length),
                AsyncRequestBody.fromByteBufferUnsafe(ByteBuffer.wrap(buffer, 0, length))),
            "write to");
      } else {
        if (filled > 0) {
          sendPart();
        }
        finishInFlight();
        List<CompletedPart> ordered = new ArrayList<>(parts);
        ordered.sort(Comparator.comparing(CompletedPart::partNumber));
        await(
            s3.completeMultipartUpload(
                r ->
                    r.bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .multipartUpload(m -> m.parts(ordered))),
            "complete the multipart upload to");
      }
      committed = true;
      release();
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      if (!committed && uploadId != null) {
        if (inFlight != null) {
          inFlight.exceptionally(e -> null).join();
        }
        try {
          await(
              s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)),
              "abort the multipart upload to");
        } catch (IOException e) {
          log.warn("Cannot abort the multipart upload of {}: {}", key, e.getMessage());
        }
      }
      release();
    }

    private void release() {
      closed = true;
      buffer = null;
      spare = null;
    }
  }

  /** The call's result; S3's and the SDK's errors as IOExceptions naming the bucket and cause. */
  private <T> T await(CompletableFuture<T> call, String what) throws IOException {
    try {
      return call.get();
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while trying to " + what + " " + where);
    } catch (ExecutionException | CompletionException e) {
      throw failure(e.getCause() == null ? e : e.getCause(), what);
    }
  }

  private IOException failure(Throwable cause, String what) {
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String reason;
    if (cause instanceof S3Exception s3e && s3e.awsErrorDetails() != null) {
      String code = s3e.awsErrorDetails().errorCode();
      String message = s3e.awsErrorDetails().errorMessage();
      reason =
          (code == null ? "HTTP " + s3e.statusCode() : code)
              + (message == null || message.isBlank() ? "" : ": " + message);
    } else if (cause instanceof SdkException sdk) {
      reason = sdk.getMessage();
    } else {
      reason = String.valueOf(cause);
    }
    return new IOException("S3 backup store: cannot " + what + " " + where + ": " + reason, cause);
  }
}
