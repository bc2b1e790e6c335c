package dev.cumulus.function.containers.persistence;

import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code container_jobs} table: one-off jobs of container functions and how they ended. */
@Repository
public class ContainerJobRepository {

  /** Names tried for jobs started in the same second: {@code base}, {@code base-2}, ... */
  private static final int MAX_NAME_TRIES = 100;

  private final DatabaseClient db;

  public ContainerJobRepository(DatabaseClient db) {
    this.db = db;
  }

  /** A job of a function. */
  public record JobKey(UUID functionId, String jobName) {}

  /**
   * Reserves a job name of the function: {@code base} when free, else the first free {@code base-N}
   * (two invokes in the same second must not share a name, nor their logs).
   */
  public Mono<String> reserve(UUID functionId, String tenantId, String base) {
    return Flux.range(1, MAX_NAME_TRIES)
        .map(n -> n == 1 ? base : base + "-" + n)
        .concatMap(
            name ->
                db.sql(
                        "INSERT INTO container_jobs (function_id, job_name, tenant_id)"
                            + " VALUES (:function, :name, :tenant) ON CONFLICT DO NOTHING")
                    .bind("function", functionId)
                    .bind("name", name)
                    .bind("tenant", tenantId)
                    .fetch()
                    .rowsUpdated()
                    .filter(rows -> rows == 1)
                    .map(rows -> name))
        .next();
  }

  /** Forgets a job whose container could not be started. */
  public Mono<Void> forget(UUID functionId, String jobName) {
    return db.sql("DELETE FROM container_jobs WHERE function_id = :function AND job_name = :name")
        .bind("function", functionId)
        .bind("name", jobName)
        .then();
  }

  /** Jobs whose end nobody recorded yet, of every tenant. */
  public Flux<JobKey> unfinished() {
    return db.sql("SELECT function_id, job_name FROM container_jobs WHERE finished_at IS NULL")
        .map(
            row ->
                new JobKey(row.get("function_id", UUID.class), row.get("job_name", String.class)))
        .all();
  }

  /** Records a job's exit code; true for the one caller that recorded it (of several replicas). */
  public Mono<Boolean> finish(JobKey job, int exitCode) {
    return db.sql(
            "UPDATE container_jobs SET finished_at = now(), exit_code = :code"
                + " WHERE function_id = :function AND job_name = :name AND finished_at IS NULL")
        .bind("code", exitCode)
        .bind("function", job.functionId())
        .bind("name", job.jobName())
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }
}
