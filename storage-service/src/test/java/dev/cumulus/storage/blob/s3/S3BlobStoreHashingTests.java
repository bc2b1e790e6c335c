package dev.cumulus.storage.blob.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.storage.blob.domain.StoredBlob;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** Where an S3 upload's MD5 is computed: never on the thread that brings the bytes. */
class S3BlobStoreHashingTests {

  final Scheduler network = Schedulers.newSingle("reactor-http-nio-stand-in");
  final Set<String> bodyThreads = ConcurrentHashMap.newKeySet();

  /** An S3 API that takes PutObject's body, noting the threads its bytes arrive on. */
  final S3AsyncClient s3 =
      new S3AsyncClient() {
        @Override
        public CompletableFuture<PutObjectResponse> putObject(
            PutObjectRequest request, AsyncRequestBody body) {
          return Flux.from(body)
              .doOnNext(bytes -> bodyThreads.add(Thread.currentThread().getName()))
              .then()
              .thenReturn(PutObjectResponse.builder().build())
              .toFuture();
        }

        @Override
        public String serviceName() {
          return "s3";
        }

        @Override
        public void close() {}
      };

  @AfterEach
  void stop() {
    network.dispose();
  }

  @Test
  void theMd5IsComputedOffTheThreadThatBroughtTheBytes() throws Exception {
    byte[] bytes = new byte[300_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 13);
    }
    Flux<DataBuffer> content =
        Flux.range(0, 30)
            .<DataBuffer>map(
                i ->
                    DefaultDataBufferFactory.sharedInstance.wrap(
                        ByteBuffer.wrap(bytes, i * 10_000, 10_000)))
            .subscribeOn(network);

    StoredBlob blob =
        new S3BlobStore(s3, "bucket", "", Duration.ZERO)
            .store("svc", content)
            .block(Duration.ofSeconds(10));

    assertThat(blob.size()).isEqualTo(bytes.length);
    assertThat(blob.md5Hex())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)));
    assertThat(bodyThreads).isNotEmpty().noneMatch(name -> name.startsWith("reactor-http-nio"));
    assertThat(List.copyOf(bodyThreads)).allMatch(name -> name.startsWith("parallel-"));
  }
}
