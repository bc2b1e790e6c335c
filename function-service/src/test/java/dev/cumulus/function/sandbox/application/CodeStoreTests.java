package dev.cumulus.function.sandbox.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.function.config.FunctionProperties;
import dev.cumulus.platform.error.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/** Code zips: checked on upload, unpacked once per digest, never outside their directory. */
class CodeStoreTests {

  @TempDir Path work;

  @Test
  void unpacksOncePerDigest() throws IOException {
    CodeStore store = store();
    byte[] zip = zip(Map.of("app.py", "x = 1", "lib/util.py", "y = 2"));
    CodeStore.CodeInfo info = store.inspect(zip);
    assertThat(info.sha256()).hasSize(64);
    assertThat(info.size()).isEqualTo(zip.length);

    AtomicInteger reads = new AtomicInteger();
    Mono<byte[]> source = Mono.fromCallable(() -> zip).doOnNext(b -> reads.incrementAndGet());
    Path dir = store.directory(info.sha256(), source).block(Duration.ofSeconds(10));
    assertThat(Files.readString(dir.resolve("lib/util.py"))).isEqualTo("y = 2");
    assertThat(store.directory(info.sha256(), source).block(Duration.ofSeconds(10))).isEqualTo(dir);
    assertThat(reads).hasValue(1);
  }

  @Test
  void refusesEntriesLeavingTheirDirectoryAndNonZips() throws IOException {
    CodeStore store = store();
    assertThatThrownBy(() -> store.inspect(zip(Map.of("../evil.py", "x"))))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("leaves its directory");
    assertThatThrownBy(() -> store.inspect(zip(Map.of("/etc/evil", "x"))))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> store.inspect("not a zip".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("Could not unzip");
    assertThatThrownBy(() -> store.inspect(new byte[0])).isInstanceOf(ApiException.class);
  }

  private CodeStore store() {
    return new CodeStore(
        new FunctionProperties(work, "us-east-1", Map.of(), null, null, null, null));
  }

  static byte[] zip(Map<String, String> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (var file : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(file.getKey()));
        zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
