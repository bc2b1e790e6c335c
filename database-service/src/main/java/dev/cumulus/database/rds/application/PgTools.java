package dev.cumulus.database.rds.application;

import dev.cumulus.database.rds.config.RdsProperties;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/**
 * pg_dump and psql from Debian's postgresql-client, run as processes logged in as the instance's
 * role (the password in the child's environment only). Blocking: callers use bounded-elastic.
 */
@Component
public class PgTools {

  private static final int STDERR_KEPT = 2000;

  private final RdsProperties properties;

  public PgTools(RdsProperties properties) {
    this.properties = properties;
  }

  /** A plain SQL dump that recreates the database's objects (DROP IF EXISTS first) into out. */
  public void dump(RdsInstances.Credentials login, OutputStream out) throws IOException {
    run(
        login,
        List.of(
            "pg_dump", "--format=plain", "--no-owner", "--no-privileges", "--clean", "--if-exists"),
        null,
        out);
  }

  /** Runs a dump's SQL in one transaction, stopping at the first error. */
  public void restore(RdsInstances.Credentials login, InputStream sql) throws IOException {
    run(
        login,
        List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"),
        sql,
        null);
  }

  private void run(
      RdsInstances.Credentials login, List<String> command, InputStream in, OutputStream out)
      throws IOException {
    List<String> args = new ArrayList<>(command);
    args.addAll(
        List.of(
            "--host=" + properties.admin().host(),
            "--port=" + properties.admin().port(),
            "--username=" + login.username(),
            "--dbname=" + login.database()));
    ProcessBuilder builder = new ProcessBuilder(args);
    if (in != null) {
      // psql prints query results (set_config, setval): nobody reads them, so no pipe fills up.
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    builder.environment().put("PGPASSWORD", login.password());
    builder.environment().put("PGCONNECT_TIMEOUT", "10");
    Process process = builder.start();
    CompletableFuture<String> errors =
        CompletableFuture.supplyAsync(() -> tail(process.getErrorStream()));
    try {
      if (in != null) {
        OutputStream stdin = process.getOutputStream();
        try {
          in.transferTo(stdin);
        } catch (IOException | RuntimeException e) {
          // psql must not see an end of input: it would commit the statements read so far (a
          // backup that fails to decrypt half-way). Killed, its transaction rolls back.
          process.destroyForcibly().waitFor();
          throw e;
        }
        stdin.close();
      } else {
        process.getOutputStream().close();
      }
      if (in == null) {
        try (InputStream stdout = process.getInputStream()) {
          stdout.transferTo(out);
        }
      }
      int exit = process.waitFor();
      if (exit != 0) {
        throw new IOException(
            command.get(0) + " exited with " + exit + ": " + errors.join().strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(command.get(0) + " interrupted", e);
    } finally {
      process.destroy();
    }
  }

  private static String tail(InputStream stderr) {
    try (stderr) {
      ByteArrayOutputStream kept = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      int read;
      while ((read = stderr.read(buffer)) >= 0) {
        if (kept.size() < STDERR_KEPT) {
          kept.write(buffer, 0, Math.min(read, STDERR_KEPT - kept.size()));
        }
      }
      return kept.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.getMessage();
    }
  }
}
