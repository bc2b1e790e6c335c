package dev.cumulus.platform.config;

import dev.cumulus.platform.error.ApiFamily;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings every service shares, under {@code cumulus.*}. Defaults live in cumulus-defaults.yml and
 * here; every address and secret can be overridden by environment variables.
 */
@ConfigurationProperties("cumulus")
public record CumulusProperties(
    @DefaultValue Pg pg,
    @DefaultValue Database database,
    @DefaultValue Kafka kafka,
    @DefaultValue Outbox outbox,
    @DefaultValue Api api) {

  /** The PostgreSQL server holding every service's database. */
  public record Pg(
      @DefaultValue("127.0.0.1") String host,
      @DefaultValue("5432") int port,
      @DefaultValue("postgres") String user,
      @DefaultValue("") String password,
      @DefaultValue("postgres") String maintenanceDatabase) {

    public String jdbcUrl(String database) {
      return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
  }

  /**
   * This service's own database, created on the server when missing.
   *
   * @param startupWait how long start-up waits for PostgreSQL to answer before giving up
   */
  public record Database(String name, @DefaultValue("60s") Duration startupWait) {}

  public record Kafka(@DefaultValue("127.0.0.1:9092") String bootstrapServers) {}

  /**
   * The transactional outbox relay.
   *
   * @param enabled whether this instance relays (all replicas may; one relays at a time)
   * @param pollInterval how often pending events are looked for besides when this node's {@code
   *     Outbox} signals a commit: the longest an event committed elsewhere (another replica) waits
   * @param batchWindow how long the relay waits after a run that found a backlog (more than one
   *     event), so that a busy service sends batches; a quiet service publishes each commit at once
   * @param batchSize events published per transaction
   * @param retention how long published events are kept before deletion
   */
  public record Outbox(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("2s") Duration pollInterval,
      @DefaultValue("100ms") Duration batchWindow,
      @DefaultValue("200") int batchSize,
      @DefaultValue("7d") Duration retention) {}

  /**
   * Error envelopes.
   *
   * @param families extra path patterns per family, beyond each seed's own
   * @param defaultFamily the envelope for paths no family claims
   */
  public record Api(
      @DefaultValue Map<ApiFamily, List<String>> families,
      @DefaultValue("DOCKSAAS") ApiFamily defaultFamily) {}
}
