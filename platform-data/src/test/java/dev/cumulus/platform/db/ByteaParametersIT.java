package dev.cumulus.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.testsupport.PostgresServer;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Parameters;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * byte[] parameters reach PostgreSQL intact through BinaryByteaCodec (found by the driver through
 * META-INF/services) and read back the same in either result format, against a real server.
 */
class ByteaParametersIT {

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void byteArraysRoundTripThroughABinaryByteaParameter(boolean forceBinary) {
    PostgresServer pg = TestInfrastructure.postgres();
    String database = pg.createDatabase("platform_bytea");
    ConnectionFactory connections =
        ConnectionFactories.get(
            pg.r2dbcOptions(database)
                .option(io.r2dbc.spi.Option.valueOf("forceBinary"), forceBinary)
                .build());
    DatabaseClient db = DatabaseClient.create(connections);
    byte[] every = new byte[256];
    for (int i = 0; i < every.length; i++) {
      every[i] = (byte) i;
    }
    byte[] large = new byte[300_000];
    new Random(7).nextBytes(large);

    for (byte[] value : new byte[][] {new byte[0], every, large}) {
      // PostgreSQL's own view of the parameter: its length and digest, not just our decoding.
      var seen =
          db.sql("SELECT length(:v) AS n, md5(:v) AS md5, :v AS back")
              .bind("v", value)
              .map(
                  row ->
                      new Object[] {
                        row.get("n", Integer.class),
                        row.get("md5", String.class),
                        row.get("back", byte[].class)
                      })
              .one()
              .block(Duration.ofSeconds(10));
      assertThat(seen[0]).isEqualTo(value.length);
      assertThat(seen[1]).isEqualTo(md5Hex(value));
      assertThat((byte[]) seen[2]).isEqualTo(value);
    }
    // Nulls still go through the driver's own codec.
    Boolean isNull =
        db.sql("SELECT :v IS NULL AS nothing")
            .bind("v", Parameters.in(io.r2dbc.postgresql.codec.PostgresqlObjectId.BYTEA))
            .map(row -> row.get("nothing", Boolean.class))
            .one()
            .block(Duration.ofSeconds(10));
    assertThat(isNull).isTrue();
  }

  private static String md5Hex(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
