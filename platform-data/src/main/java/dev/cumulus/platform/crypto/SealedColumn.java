package dev.cumulus.platform.crypto;

import dev.cumulus.platform.crypto.MasterKeyRotation.Sealed;
import java.util.function.UnaryOperator;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@code bytea} column of values sealed under a master key, in a table whose rows a text column
 * identifies: what {@link MasterKeyRotation} needs of it. Table and column names come from code,
 * never from input.
 *
 * @param name what the values are, for logs ("signing keys")
 * @param associatedData the associated data each value was sealed with, from its row's id
 */
public record SealedColumn(
    DatabaseClient db,
    String name,
    String table,
    String idColumn,
    String valueColumn,
    UnaryOperator<String> associatedData)
    implements MasterKeyRotation.SealedValues {

  @Override
  public Flux<Sealed> all() {
    return db.sql("SELECT " + idColumn + " AS id, " + valueColumn + " AS sealed FROM " + table)
        .map(
            row -> {
              String id = row.get("id", String.class);
              return new Sealed(id, associatedData.apply(id), row.get("sealed", byte[].class));
            })
        .all();
  }

  @Override
  public Mono<Boolean> replace(Sealed stored, byte[] resealed) {
    return db.sql(
            "UPDATE "
                + table
                + " SET "
                + valueColumn
                + " = :resealed WHERE "
                + idColumn
                + " = :id AND "
                + valueColumn
                + " = :stored")
        .bind("resealed", resealed)
        .bind("id", stored.id())
        .bind("stored", stored.ciphertext())
        .fetch()
        .rowsUpdated()
        .map(rows -> rows > 0);
  }
}
