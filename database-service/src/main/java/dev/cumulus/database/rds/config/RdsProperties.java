package dev.cumulus.database.rds.config;

import dev.cumulus.platform.crypto.MasterKeySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Managed PostgreSQL settings ({@code cumulus.rds.*}). The server holding tenants' databases is the
 * platform's own by default (application.yml points {@code admin} at {@code cumulus.pg}); any
 * PostgreSQL server reachable with a superuser (or a role with CREATEDB and CREATEROLE) will do.
 *
 * @param admin the server tenants' databases live on, and the role that creates them
 * @param publicHost the host name tenants connect to (info's endpoint); blank: the admin host
 * @param publicPort the port tenants connect to; 0: the admin port
 * @param masterKey base64 of 32 bytes sealing tenants' passwords at rest (env
 *     CUMULUS_RDS_MASTER_KEY); the dev profile generates one under {@code dataDir}
 * @param previousMasterKeys retired master keys still accepted for reading, comma-separated
 * @param dataDir where the dev master key and, by default, backups are kept
 * @param backupDir where backups are written (dirs 0700, files 0600)
 * @param limits the limits every instance shares (pools, result sizes, timers)
 * @param plans each plan's per-instance limits ({@code cumulus.rds.plans.<plan>.*}); a setting left
 *     out keeps the built-in default (RdsPlans)
 * @param defaultPlan the plan whose limits an instance gets while its tenant's plan is unknown
 *     (auth-service unreachable), or when the plan has no limits of its own
 * @param planCheckInterval how often an instance in use asks auth-service for its tenant's plan
 *     again, so an upgrade or downgrade reaches its role
 * @param retentionSweepInterval how often expired backups are deleted
 * @param storageCheckInterval how often each instance's database size is measured against its
 *     plan's storage limit (RdsStorageCap)
 * @param backupStore where new backups are written: the local {@code backupDir} or an S3 bucket
 */
@ConfigurationProperties("cumulus.rds")
public record RdsProperties(
    @DefaultValue Admin admin,
    @DefaultValue("") String publicHost,
    @DefaultValue("0") int publicPort,
    String masterKey,
    String previousMasterKeys,
    @DefaultValue("data/rds") Path dataDir,
    Path backupDir,
    @DefaultValue Limits limits,
    Map<String, PlanSettings> plans,
    @DefaultValue("free") String defaultPlan,
    @DefaultValue("1m") Duration planCheckInterval,
    @DefaultValue("1h") Duration retentionSweepInterval,
    @DefaultValue("1m") Duration storageCheckInterval,
    @DefaultValue BackupStorage backupStore)
    implements MasterKeySettings {

  public RdsProperties {
    if (backupStore == null) {
      backupStore = new BackupStorage("local", null);
    }
  }

  /**
   * Where new backups are written ({@code cumulus.rds.backup-store.*}).
   *
   * @param type {@code local} (files under {@code backupDir}) or {@code s3} (a bucket)
   * @param s3 the bucket, when {@code type} is {@code s3}
   */
  public record BackupStorage(@DefaultValue("local") String type, @DefaultValue S3 s3) {

    public boolean isS3() {
      return "s3".equalsIgnoreCase(type);
    }
  }

  /**
   * A bucket on any S3 API (AWS, Ceph RGW, MinIO, Cumulus's own storage-service).
   *
   * @param endpoint the server's URL; blank: AWS's endpoint for {@code region}
   * @param region the signing region
   * @param bucket the bucket (must exist; a missing one fails each backup with its reason)
   * @param accessKey the access key id; blank: the AWS default credentials chain
   * @param secretKey the secret access key
   * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key}
   * @param prefix put before every object's key ({@code rds-backups/})
   * @param partSize the multipart upload's part size (at least 5 MB): two parts' buffers are all a
   *     running backup holds in memory
   * @param timeout the longest one S3 call may take
   */
  public record S3(
      @DefaultValue("") String endpoint,
      @DefaultValue("us-east-1") String region,
      @DefaultValue("") String bucket,
      @DefaultValue("") String accessKey,
      @DefaultValue("") String secretKey,
      @DefaultValue("false") boolean pathStyle,
      @DefaultValue("rds-backups/") String prefix,
      @DefaultValue("8MB") DataSize partSize,
      @DefaultValue("2m") Duration timeout) {}

  /** The server and the administrative role provisioning uses (never tenants' queries). */
  public record Admin(
      @DefaultValue("127.0.0.1") String host,
      @DefaultValue("5432") int port,
      @DefaultValue("postgres") String user,
      @DefaultValue("") String password,
      @DefaultValue("postgres") String database) {}

  /**
   * Limits every instance shares, whatever its plan.
   *
   * @param poolSize the service's connections per instance (at most the plan's connection limit)
   * @param poolIdleTime how long an unused instance pool stays open
   * @param maxRows the most rows a query returns (Data API: 1,000)
   * @param maxResponseBytes the most result bytes a query returns (Data API: 1 MB)
   * @param slowStatement statements slower than this are reported as events
   * @param transactionIdleTimeout an idle Data API transaction is rolled back after this
   */
  public record Limits(
      @DefaultValue("4") int poolSize,
      @DefaultValue("5m") Duration poolIdleTime,
      @DefaultValue("1000") int maxRows,
      @DefaultValue("1048576") int maxResponseBytes,
      @DefaultValue("1s") Duration slowStatement,
      @DefaultValue("3m") Duration transactionIdleTimeout) {}

  /**
   * One plan's per-instance limits as configured; null keeps the built-in default (docs/rds.md).
   *
   * @param connectionLimit the role's CONNECTION LIMIT (direct clients and the service's pool)
   * @param statementTimeout the longest statement, for the API and the role's default
   * @param workMem the role's {@code work_mem}, also set for each API transaction
   * @param tempFileLimit the role's {@code temp_file_limit} (superuser-only: tenants cannot raise
   *     it)
   * @param storageLimit the database's size cap ({@code 1GB}, {@code -1}: none); over it the
   *     instance is read-only until it is under again
   */
  public record PlanSettings(
      Integer connectionLimit,
      Duration statementTimeout,
      String workMem,
      String tempFileLimit,
      String storageLimit) {}

  /** The dev profile's generated master key lives with the service's data. */
  @Override
  public Path masterKeyFile() {
    return dataDir.resolve("master-key");
  }

  /** Where backups go: {@code backupDir}, else {@code dataDir/backups}. */
  public Path backups() {
    return backupDir != null ? backupDir : dataDir.resolve("backups");
  }

  public String endpointHost() {
    return publicHost == null || publicHost.isBlank() ? admin.host() : publicHost;
  }

  public int endpointPort() {
    return publicPort > 0 ? publicPort : admin.port();
  }
}
