package dev.cumulus.platform.db;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.client.EncodedParameter;
import io.r2dbc.postgresql.codec.Codec;
import io.r2dbc.postgresql.codec.CodecMetadata;
import io.r2dbc.postgresql.codec.CodecRegistry;
import io.r2dbc.postgresql.codec.PostgresTypeIdentifier;
import io.r2dbc.postgresql.codec.PostgresqlObjectId;
import io.r2dbc.postgresql.extension.CodecRegistrar;
import io.r2dbc.postgresql.message.Format;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Sends {@code byte[]} parameters to PostgreSQL as binary {@code bytea}. The driver's own codec
 * sends them as hex text, building twice the bytes one character at a time (9 % of storage's CPU
 * for a small S3 PUT, whose bytes go into their row). Decoding is left to the driver.
 *
 * <p>Registered for every connection by {@link Registrar} (a driver extension found through {@code
 * META-INF/services}).
 */
public final class BinaryByteaCodec implements Codec<byte[]>, CodecMetadata {

  private static final int BYTEA = PostgresqlObjectId.BYTEA.getObjectId();

  /**
   * The driver caches the first codec that declares a Java type as that type's encoder: one that
   * declared nothing would be passed over for the built-in byte[] codec.
   */
  @Override
  public Class<?> type() {
    return byte[].class;
  }

  /** None: this codec never decodes, so it must not be cached as a decoder either. */
  @Override
  public Iterable<? extends PostgresTypeIdentifier> getDataTypes() {
    return List.of();
  }

  @Override
  public boolean canDecode(int dataType, Format format, Class<?> type) {
    return false;
  }

  @Override
  public boolean canEncode(Object value) {
    return value instanceof byte[];
  }

  @Override
  public boolean canEncodeNull(Class<?> type) {
    return false;
  }

  @Override
  public byte[] decode(ByteBuf buffer, int dataType, Format format, Class<? extends byte[]> type) {
    throw new UnsupportedOperationException("decoding is left to the driver's codecs");
  }

  @Override
  public EncodedParameter encode(Object value) {
    byte[] bytes = (byte[]) value;
    // A fresh wrapper per subscription: the driver releases what it has written.
    return new EncodedParameter(
        Format.FORMAT_BINARY, BYTEA, Mono.fromSupplier(() -> Unpooled.wrappedBuffer(bytes)));
  }

  @Override
  public EncodedParameter encode(Object value, int dataType) {
    return encode(value);
  }

  @Override
  public EncodedParameter encodeNull() {
    throw new UnsupportedOperationException("nulls are encoded by the driver's codecs");
  }

  /** Puts the codec before the driver's built-in ones on every new connection. */
  public static final class Registrar implements CodecRegistrar {

    @Override
    public Publisher<Void> register(
        PostgresqlConnection connection, ByteBufAllocator allocator, CodecRegistry registry) {
      registry.addFirst(new BinaryByteaCodec());
      return Mono.empty();
    }
  }
}
