package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.security.CumulusSecurityProperties;
import dev.cumulus.platform.sigv4.SigV4Authenticator;
import dev.cumulus.platform.sigv4.SigV4Properties;
import dev.cumulus.platform.sigv4.SigningKeys;
import dev.cumulus.platform.web.TrustedProxies;
import dev.cumulus.storage.access.application.AccessService;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.application.BucketTagging;
import dev.cumulus.storage.config.StorageProperties;
import dev.cumulus.storage.cors.application.CorsService;
import dev.cumulus.storage.lifecycle.application.LifecycleService;
import dev.cumulus.storage.multipart.application.MultipartService;
import dev.cumulus.storage.object.application.ObjectDeleter;
import dev.cumulus.storage.object.application.ObjectLister;
import dev.cumulus.storage.object.application.ObjectLocking;
import dev.cumulus.storage.object.application.ObjectReader;
import dev.cumulus.storage.object.application.ObjectTagging;
import dev.cumulus.storage.object.application.ObjectVersionService;
import dev.cumulus.storage.object.application.ObjectWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Wires the S3 wire-protocol adapter: SigV4 (platform's), the operation table, CORS. */
@Configuration(proxyBeanMethods = false)
public class S3Configuration {

  @Bean
  RouterFunction<ServerResponse> s3Routes(
      StorageProperties properties,
      SigV4Authenticator authenticator,
      InstanceRegistry instances,
      BucketService buckets,
      ObjectWriter writer,
      ObjectReader reader,
      ObjectDeleter deleter,
      ObjectLister lister,
      ObjectVersionService versions,
      ObjectTagging tagging,
      ObjectLocking locking,
      BucketTagging bucketTagging,
      MultipartService multipart,
      LifecycleService lifecycle,
      CorsService corsRules,
      S3Cors cors,
      AccessService access,
      CumulusSecurityProperties security,
      SigningKeys signingKeys,
      SigV4Properties sigV4,
      MeterRegistry meters) {
    S3CustomerKeys customerKeys = new S3CustomerKeys(properties.s3().sseCRequiresHttps());
    S3AccessGate gate = new S3AccessGate(access, TrustedProxies.of(security.trustedProxies()));
    S3AclWrites aclWrites = new S3AclWrites(access);
    S3OperationTable operations =
        S3Api.table(
            new S3BucketOperations(buckets, lister, properties.s3().region()),
            new S3ObjectOperations(writer, reader, deleter, customerKeys),
            new S3MultipartOperations(multipart, reader, customerKeys),
            new S3VersionOperations(buckets, versions),
            new S3BucketConfigurations(lifecycle, corsRules),
            new S3EncryptionOperations(buckets),
            new S3AclOperations(access, reader),
            new S3PolicyOperations(access),
            new S3ObjectLockOperations(buckets, locking),
            new S3TaggingOperations(tagging, bucketTagging),
            new S3PostObjectOperations(
                signingKeys,
                instances,
                sigV4.regions(),
                gate,
                aclWrites,
                writer,
                Clock.systemUTC()));
    return new S3Routes(
            properties.s3().pathPrefix(),
            authenticator,
            instances,
            operations,
            cors,
            new S3Expiration(lifecycle),
            new S3Metrics(meters),
            buckets,
            gate,
            aclWrites)
        .routes();
  }

  /** Answers S3 CORS preflights (a filter: they are unsigned and WebFlux would answer them). */
  @Bean
  S3Cors s3Cors(StorageProperties properties, CorsService cors) {
    return new S3Cors(properties.s3().pathPrefix(), cors);
  }
}
