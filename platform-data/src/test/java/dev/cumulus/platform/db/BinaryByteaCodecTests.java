package dev.cumulus.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.r2dbc.postgresql.client.EncodedParameter;
import io.r2dbc.postgresql.codec.DefaultCodecs;
import io.r2dbc.postgresql.extension.Extension;
import io.r2dbc.spi.Parameters;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class BinaryByteaCodecTests {

  @Test
  void theDriverFindsTheRegistrar() {
    assertThat(ServiceLoader.load(Extension.class).stream().map(ServiceLoader.Provider::type))
        .contains(BinaryByteaCodec.Registrar.class);
  }

  /** Through the driver's own lookup, which caches one encoder per Java type. */
  @Test
  void theDriverEncodesByteArraysWithItOnceRegistered() {
    DefaultCodecs codecs = new DefaultCodecs(UnpooledByteBufAllocator.DEFAULT);
    assertThat(codecs.encode(new byte[] {1}).toString()).contains("format=FORMAT_TEXT");

    new BinaryByteaCodec.Registrar().register(null, UnpooledByteBufAllocator.DEFAULT, codecs);

    assertThat(codecs.encode(new byte[] {1}).toString()).contains("format=FORMAT_BINARY, type=17,");
    assertThat(codecs.encode(Parameters.in(new byte[] {1})).toString())
        .contains("format=FORMAT_BINARY, type=17,");
    // Nulls and decoding stay with the driver's codecs.
    assertThat(codecs.encodeNull(byte[].class).toString()).contains("type=17,");
    assertThat(
            codecs.decode(
                Unpooled.wrappedBuffer(new byte[] {7, 8}),
                17,
                io.r2dbc.postgresql.message.Format.FORMAT_BINARY,
                byte[].class))
        .containsExactly(7, 8);
  }

  @Test
  void encodesByteArraysAsTheirOwnBytesInBinaryFormat() {
    BinaryByteaCodec codec = new BinaryByteaCodec();
    byte[] value = {0, 1, (byte) 0xff, 'x'};

    EncodedParameter parameter = codec.encode(value);

    assertThat(codec.canEncode(value)).isTrue();
    assertThat(codec.canEncode("text")).isFalse();
    assertThat(codec.canDecode(17, io.r2dbc.postgresql.message.Format.FORMAT_BINARY, byte[].class))
        .isFalse();
    // The parameter's bytes are package-private to the driver; ByteaParametersIT checks that they
    // reach PostgreSQL intact. Here: binary format, type bytea (OID 17).
    assertThat(parameter.toString()).contains("format=FORMAT_BINARY, type=17,");
  }
}
