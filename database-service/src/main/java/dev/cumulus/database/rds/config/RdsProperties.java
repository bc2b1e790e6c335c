package dev.cumulus.database.rds.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
 * @param limits the per-instance limits (the plan's)
 * @param retentionSweepInterval how often expired backups are deleted
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
    @DefaultValue("1h") Duration retentionSweepInterval) {

  /** The server and the administrative role provisioning uses (never tenants' queries). */
  public record Admin(
      @DefaultValue("127.0.0.1") String host,
      @DefaultValue("5432") int port,
      @DefaultValue("postgres") String user,
      @DefaultValue("") String password,
      @DefaultValue("postgres") String database) {}

  /**
   * Limits of every instance (one plan for now).
   *
   * @param connectionLimit the role's CONNECTION LIMIT (direct clients and the service's pool)
   * @param statementTimeout the longest statement, for the API and the role's default
   * @param workMem the role's {@code work_mem}
   * @param poolSize the service's connections per instance
   * @param poolIdleTime how long an unused instance pool stays open
   * @param maxRows the most rows a query returns (Data API: 1,000)
   * @param maxResponseBytes the most result bytes a query returns (Data API: 1 MB)
   * @param slowStatement statements slower than this are reported as events
   * @param transactionIdleTimeout an idle Data API transaction is rolled back after this
   */
  public record Limits(
      @DefaultValue("20") int connectionLimit,
      @DefaultValue("30s") Duration statementTimeout,
      @DefaultValue("16MB") String workMem,
      @DefaultValue("4") int poolSize,
      @DefaultValue("5m") Duration poolIdleTime,
      @DefaultValue("1000") int maxRows,
      @DefaultValue("1048576") int maxResponseBytes,
      @DefaultValue("1s") Duration slowStatement,
      @DefaultValue("3m") Duration transactionIdleTimeout) {}

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
