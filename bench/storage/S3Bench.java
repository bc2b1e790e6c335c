import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * S3 throughput benchmark: one AWS SDK v2 client, the same settings for every target.
 *
 * <pre>
 * java -cp "$(cat classpath.txt)" S3Bench.java LABEL ENDPOINT ACCESS_KEY SECRET_KEY
 * java -cp "$(cat classpath.txt)" S3Bench.java LABEL ENDPOINT ACCESS_KEY SECRET_KEY \
 *     LABEL2 ENDPOINT2 ACCESS_KEY2 SECRET_KEY2      # paired large PUTs only, see paired()
 * </pre>
 *
 * <p>Measures, after a warm-up: 4 KiB PUT (new keys) and GET (random keys of those) with THREADS
 * concurrent callers for DURATION seconds each (ops/s), then BIG_COUNT objects of BIG_MIB MiB PUT
 * and GET by BIG_THREADS callers (MB/s, 1 MB = 10^6 bytes), and as many PUT through presigned URLs
 * (unsigned payload, see {@link Presigned}). Every small GET is compared byte for
 * byte with what was written (each key's payload differs), every big GET checks its length and
 * the first one of each phase its bytes, so a broken server cannot look fast. The last line is
 * machine-readable: {@code RESULT label putOps getOps bigPutMBs bigGetMBs errors bigPresignedPutMBs}.
 *
 * <p>Settings (environment): THREADS (16), DURATION (15 s), WARMUP (45 s), BIG_COUNT (8), BIG_MIB
 * (64), BIG_THREADS (1), SMALL_KIB (4), REGION (us-east-1), READY_TIMEOUT (60 s: how long the first
 * call may answer 403 while the target has not learnt the access key yet).
 *
 * <p>Client: path-style, aws-chunked encoding off, flexible checksums only when required (no CRC
 * trailers), no retries (a failure counts as an error, it is not hidden). Over plain HTTP the SDK
 * signs the payload: it sends the body's SHA-256 in x-amz-content-sha256 for every target.
 */
public class S3Bench {

  static final int THREADS = intEnv("THREADS", 16);
  static final int DURATION = intEnv("DURATION", 15);
  static final int WARMUP = intEnv("WARMUP", 45);
  static final int BIG_COUNT = intEnv("BIG_COUNT", 8);
  static final int BIG_MIB = intEnv("BIG_MIB", 64);
  static final int BIG_THREADS = intEnv("BIG_THREADS", 1);
  static final int SMALL_KIB = intEnv("SMALL_KIB", 4);
  static final int READY_TIMEOUT = intEnv("READY_TIMEOUT", 60);
  static final int WARMUP_ROUNDS = 3;

  static final AtomicLong errors = new AtomicLong();
  static final AtomicInteger errorsShown = new AtomicInteger();

  public static void main(String[] args) throws Exception {
    if (args.length == 8) {
      paired(Arrays.copyOfRange(args, 0, 4), Arrays.copyOfRange(args, 4, 8));
      return;
    }
    if (args.length != 4) {
      System.err.println("usage: S3Bench LABEL ENDPOINT ACCESS_KEY SECRET_KEY [LABEL2 ENDPOINT2 ACCESS_KEY2 SECRET_KEY2]");
      System.exit(2);
    }
    String label = args[0];
    String endpoint = args[1];
    SdkHttpClient http = httpClient(Math.max(THREADS, BIG_THREADS) + 4);
    S3Client s3 = client(endpoint, args[2], args[3], http);
    S3Presigner presigner = presigner(endpoint, args[2], args[3]);
    Presigned presigned = new Presigned(presigner, http);
    String bucket = "bench-" + Long.toHexString(System.nanoTime() & 0xffffffffL);
    log(label, "endpoint %s, bucket %s, %d threads, %d s per small phase (warm-up %d s), %d x %d MiB by %d"
        .formatted(endpoint, bucket, THREADS, DURATION, WARMUP, BIG_COUNT, BIG_MIB, BIG_THREADS));
    createBucket(s3, bucket, label);
    // Warm-up objects go to a bucket of their own: a server whose cost grows with a bucket's
    // object count (S3Mock rewrites a bucket's key list on every PUT) is measured as fresh.
    String warmBucket = bucket + "-warm";
    s3.createBucket(b -> b.bucket(warmBucket));

    byte[] small = random(SMALL_KIB * 1024);
    byte[] big = random(BIG_MIB * 1024 * 1024);

    // Warm-up, long enough for every JIT involved: one big PUT and GET (both verified), then both
    // small operations in alternating rounds. The order matters to the client as much as to the
    // server: after one long PUT round, one long GET round and the big objects last, the SDK's
    // request pipeline and the HTTP client's connection code (shared by all of them) had been
    // recompiled for what ran last: the measured PUTs started with a burst of recompilation in
    // both JVMs, and the client used ~0.44 ms of CPU per PUT instead of ~0.31, on the cores the
    // server needs.
    try {
      putBig(s3, warmBucket, "big/warm", big);
      getBig(s3, warmBucket, "big/warm", big, true);
      presigned.put(warmBucket, "big/warm-unsigned", big);
      getBig(s3, warmBucket, "big/warm-unsigned", big, true);
    } catch (Exception e) {
      error("warm-up " + BIG_MIB + " MiB", e);
    }
    int slice = Math.max(1, WARMUP / WARMUP_ROUNDS);
    for (int round = 0; round < WARMUP_ROUNDS; round++) {
      String prefix = "warm" + round + "/";
      SmallPhase warmPut = smallPut(s3, warmBucket, prefix, small, slice);
      smallGet(s3, warmBucket, prefix, small, warmPut.keys, slice);
    }
    long warmErrors = errors.getAndSet(0);
    log(label, "warm-up done (%d errors)".formatted(warmErrors));

    SmallPhase put = smallPut(s3, bucket, "small/", small, DURATION);
    double putOps = put.ops / put.seconds;
    log(label, "%d KiB PUT: %d ops in %.2f s = %.0f ops/s".formatted(SMALL_KIB, put.ops, put.seconds, putOps));
    SmallPhase get = smallGet(s3, bucket, "small/", small, put.keys, DURATION);
    double getOps = get.ops / get.seconds;
    log(label, "%d KiB GET: %d ops in %.2f s = %.0f ops/s".formatted(SMALL_KIB, get.ops, get.seconds, getOps));

    double bigPut = bigPhase("big/", (key, verify) -> putBig(s3, bucket, key, big));
    log(label, "%d MiB PUT: %.0f MB/s".formatted(BIG_MIB, bigPut));
    double bigGet = bigPhase("big/", (key, verify) -> getBig(s3, bucket, key, big, verify));
    log(label, "%d MiB GET: %.0f MB/s".formatted(BIG_MIB, bigGet));
    double bigPutUnsigned =
        bigPhase("big-unsigned/", (key, verify) -> presigned.put(bucket, key, big));
    log(label, "%d MiB PUT, presigned (unsigned payload): %.0f MB/s".formatted(BIG_MIB, bigPutUnsigned));
    try {
      getBig(s3, bucket, "big-unsigned/0", big, true); // what a presigned PUT stored, checked
    } catch (Exception e) {
      error("GET big-unsigned/0 after the presigned PUTs", e);
    }

    long failed = errors.get();
    if (failed > 0) log(label, failed + " errors in the measured phases (see above)");
    System.out.printf(Locale.ROOT, "RESULT %s %.0f %.0f %.0f %.0f %d %.0f%n", label, putOps, getOps, bigPut, bigGet, failed, bigPutUnsigned);
    s3.close();
    presigner.close();
    http.close();
  }

  /** One HTTP client for the S3 client and the presigned requests alike. */
  static SdkHttpClient httpClient(int connections) {
    return Apache5HttpClient.builder()
        .maxConnections(connections)
        .connectionTimeout(Duration.ofSeconds(5))
        .socketTimeout(Duration.ofSeconds(30))
        .build();
  }

  static S3Client client(String endpoint, String accessKey, String secretKey, SdkHttpClient http) {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.of(env("REGION", "us-east-1")))
        .credentialsProvider(credentials(accessKey, secretKey))
        .serviceConfiguration(
            S3Configuration.builder().pathStyleAccessEnabled(true).chunkedEncodingEnabled(false).build())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .httpClient(http)
        .build();
  }

  static S3Presigner presigner(String endpoint, String accessKey, String secretKey) {
    return S3Presigner.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.of(env("REGION", "us-east-1")))
        .credentialsProvider(credentials(accessKey, secretKey))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  static StaticCredentialsProvider credentials(String accessKey, String secretKey) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
  }

  /**
   * PUTs through presigned URLs, sent by the same HTTP client: the payload is unsigned (a presigned
   * URL signs the request, not the body), as with the SDK over HTTPS, a browser upload or curl. Over
   * plain HTTP the SDK's own PutObject always hashes the whole body before sending it.
   */
  record Presigned(S3Presigner presigner, SdkHttpClient http) {
    void put(String bucket, String key, byte[] body) throws IOException {
      var url =
          presigner.presignPutObject(
              p ->
                  p.signatureDuration(Duration.ofMinutes(10))
                      .putObjectRequest(b -> b.bucket(bucket).key(key)));
      var request =
          url.httpRequest().toBuilder()
              .putHeader("Content-Length", Integer.toString(body.length))
              .putHeader("Content-Type", "application/octet-stream")
              .build();
      HttpExecuteResponse response =
          http.prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(request)
                      .contentStreamProvider(() -> new ByteArrayInputStream(body))
                      .build())
              .call();
      String answer = "";
      if (response.responseBody().isPresent()) {
        try (InputStream in = response.responseBody().get()) {
          answer = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
      int status = response.httpResponse().statusCode();
      if (status != 200) {
        throw new IllegalStateException("presigned PUT " + key + ": HTTP " + status + " " + answer);
      }
    }
  }

  /**
   * Paired mode (two targets given): BIG_COUNT presigned BIG_MIB MiB PUTs to each target,
   * alternating one by one (A B, B A, A B...), after PAIRED_WARMUP pairs not counted. This
   * machine's speed drifts by tens of percent within minutes; PUTs a few hundred milliseconds
   * apart compare the two servers, not two moments. The first measured object is read back from
   * each and compared. Last line: {@code PAIRED labelA mbsA labelB mbsB}.
   */
  static void paired(String[] a, String[] b) throws Exception {
    SdkHttpClient http = httpClient(4);
    byte[] big = random(BIG_MIB * 1024 * 1024);
    String bucket = "paired-" + Long.toHexString(System.nanoTime() & 0xffffffffL);
    Presigned[] targets = new Presigned[2];
    S3Client[] clients = new S3Client[2];
    String[][] args = {a, b};
    for (int t = 0; t < 2; t++) {
      targets[t] = new Presigned(presigner(args[t][1], args[t][2], args[t][3]), http);
      clients[t] = client(args[t][1], args[t][2], args[t][3], http);
      createBucket(clients[t], bucket, args[t][0]);
    }
    int warmup = intEnv("PAIRED_WARMUP", 3);
    long[] nanos = new long[2];
    for (int i = 0; i < warmup + BIG_COUNT; i++) {
      for (int j = 0; j < 2; j++) {
        int t = (i + j) % 2; // who goes first alternates
        long start = System.nanoTime();
        targets[t].put(bucket, "paired/" + i, big);
        if (i >= warmup) nanos[t] += System.nanoTime() - start;
      }
    }
    double[] mbs = new double[2];
    for (int t = 0; t < 2; t++) {
      getBig(clients[t], bucket, "paired/" + warmup, big, true); // throws when the bytes differ
      mbs[t] = (double) BIG_COUNT * big.length / (nanos[t] / 1e9) / 1e6;
      log(args[t][0], "%d MiB PUT, presigned, paired: %.0f MB/s".formatted(BIG_MIB, mbs[t]));
      clients[t].close();
      targets[t].presigner().close();
    }
    System.out.printf(Locale.ROOT, "PAIRED %s %.0f %s %.0f%n", a[0], mbs[0], b[0], mbs[1]);
    http.close();
  }

  /** The first call: the target may not know the access key yet (Kafka lag): retry 403s. */
  static void createBucket(S3Client s3, String bucket, String label) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT * 1_000_000_000L;
    boolean waited = false;
    while (true) {
      try {
        s3.createBucket(b -> b.bucket(bucket));
        if (waited) log(label, "access key accepted");
        return;
      } catch (S3Exception e) {
        if (e.statusCode() != 403 || System.nanoTime() > deadline) throw e;
        if (!waited) log(label, "403 %s on CreateBucket: waiting for the instance to arrive".formatted(code(e)));
        waited = true;
        Thread.sleep(500);
      }
    }
  }

  record SmallPhase(long ops, double seconds, List<String> keys) {}

  static SmallPhase smallPut(S3Client s3, String bucket, String prefix, byte[] base, int seconds)
      throws Exception {
    ConcurrentLinkedQueue<String> written = new ConcurrentLinkedQueue<>();
    AtomicLong sequence = new AtomicLong();
    double elapsed =
        runFor(
            "PUT",
            seconds,
            () -> {
              long n = sequence.getAndIncrement();
              String key = prefix + n;
              byte[] body = stamped(base, n);
              s3.putObject(
                  b -> b.bucket(bucket).key(key).contentLength((long) body.length),
                  RequestBody.fromContentProvider(
                      () -> new ByteArrayInputStream(body), body.length, "application/octet-stream"));
              written.add(key);
            });
    List<String> keys = new ArrayList<>(written);
    return new SmallPhase(keys.size(), elapsed, keys);
  }

  static SmallPhase smallGet(
      S3Client s3, String bucket, String prefix, byte[] base, List<String> keys, int seconds)
      throws Exception {
    if (keys.isEmpty()) throw new IllegalStateException("no objects were written: nothing to GET");
    AtomicLong done = new AtomicLong();
    ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[base.length + 1]);
    double elapsed =
        runFor(
            "GET",
            seconds,
            () -> {
              String key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
              byte[] expected = stamped(base, Long.parseLong(key.substring(prefix.length())));
              byte[] buffer = buffers.get();
              int length;
              try (ResponseInputStream<GetObjectResponse> in =
                  s3.getObject(b -> b.bucket(bucket).key(key))) {
                length = readFully(in, buffer);
              }
              if (length != expected.length
                  || !Arrays.equals(buffer, 0, length, expected, 0, expected.length)) {
                throw new IllegalStateException(
                    "GET " + key + " returned other bytes than were PUT (" + length + " bytes)");
              }
              done.incrementAndGet();
            });
    return new SmallPhase(done.get(), elapsed, keys);
  }

  /**
   * MB/s of BIG_COUNT objects PUT (or GET) by BIG_THREADS callers; after 2 failures the phase
   * stops (each may have waited for the socket timeout), the objects left count as errors.
   */
  interface BigOp {
    void run(String key, boolean verify) throws Exception;
  }

  static double bigPhase(String prefix, BigOp op) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicLong bytes = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(BIG_THREADS);
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < BIG_THREADS; t++) {
      futures.add(
          pool.submit(
              () -> {
                int i;
                while ((i = next.getAndIncrement()) < BIG_COUNT) {
                  String key = prefix + i;
                  if (failures.get() >= 2) {
                    errors.incrementAndGet();
                    continue;
                  }
                  try {
                    op.run(key, i == 0);
                    bytes.addAndGet((long) BIG_MIB * 1024 * 1024);
                  } catch (Exception e) {
                    failures.incrementAndGet();
                    error(key, e);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) f.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return bytes.get() / seconds / 1e6;
  }

  static void putBig(S3Client s3, String bucket, String key, byte[] big) {
    ContentStreamProvider provider = () -> new ByteArrayInputStream(big);
    s3.putObject(
        b -> b.bucket(bucket).key(key).contentLength((long) big.length),
        RequestBody.fromContentProvider(provider, big.length, "application/octet-stream"));
  }

  static void getBig(S3Client s3, String bucket, String key, byte[] big, boolean verify)
      throws IOException {
    byte[] buffer = new byte[256 * 1024];
    long total = 0;
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (verify
            && (total + n > big.length
                || !Arrays.equals(buffer, 0, n, big, (int) total, (int) total + n))) {
          throw new IllegalStateException("GET " + key + ": bytes differ at offset " + total);
        }
        total += n;
      }
    }
    if (total != big.length) {
      throw new IllegalStateException("GET " + key + ": " + total + " bytes, expected " + big.length);
    }
  }

  interface Op {
    void run() throws Exception;
  }

  /** THREADS callers repeat op for the given seconds; returns the elapsed seconds. */
  static double runFor(String what, int seconds, Op op) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      futures.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < end) {
                  try {
                    op.run();
                  } catch (Exception e) {
                    error(what + " " + SMALL_KIB + " KiB", e);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) f.get();
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return elapsed;
  }

  static void error(String what, Exception e) {
    errors.incrementAndGet();
    if (errorsShown.incrementAndGet() <= 10) {
      String detail = e.toString();
      if (e instanceof SdkServiceException s) {
        detail =
            "HTTP %d %s: %s (request id %s)"
                .formatted(s.statusCode(), code(s), s.getMessage(), s.requestId());
      }
      System.err.println("error: " + what + ": " + detail);
    } else if (errorsShown.get() == 11) {
      System.err.println("error: further errors are counted, not shown");
    }
  }

  static String code(SdkServiceException e) {
    return e instanceof S3Exception s && s.awsErrorDetails() != null
        ? s.awsErrorDetails().errorCode()
        : "";
  }

  static int readFully(InputStream in, byte[] buffer) throws IOException {
    int total = 0;
    int n;
    while ((n = in.read(buffer, total, buffer.length - total)) > 0) {
      total += n;
      if (total == buffer.length) {
        // more than expected: drain and report the true length
        byte[] rest = new byte[8192];
        int m;
        while ((m = in.read(rest)) >= 0) total += m;
        return total;
      }
    }
    return total;
  }

  /** The base payload with the object's number in its first 8 bytes: every key differs. */
  static byte[] stamped(byte[] base, long n) {
    byte[] body = base.clone();
    for (int i = 0; i < 8; i++) body[i] = (byte) (n >>> (8 * i));
    return body;
  }

  static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new java.util.Random(42).nextBytes(bytes);
    return bytes;
  }

  static void log(String label, String message) {
    System.out.println("[" + label + "] " + message);
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  static int intEnv(String name, int fallback) {
    return Integer.parseInt(env(name, Integer.toString(fallback)));
  }
}
