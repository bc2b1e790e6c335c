package dev.cumulus.storage.s3.web;

import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.config.InternalProperties;
import dev.cumulus.storage.config.StorageProperties;
import dev.cumulus.storage.cors.application.CorsService;
import dev.cumulus.storage.instance.application.InstanceService;
import dev.cumulus.storage.lifecycle.application.LifecycleService;
import dev.cumulus.storage.multipart.application.MultipartService;
import dev.cumulus.storage.object.application.ObjectDeleter;
import dev.cumulus.storage.object.application.ObjectLister;
import dev.cumulus.storage.object.application.ObjectReader;
import dev.cumulus.storage.object.application.ObjectVersionService;
import dev.cumulus.storage.object.application.ObjectWriter;
import dev.cumulus.storage.s3.auth.AuthServiceSigningKeys;
import dev.cumulus.storage.s3.auth.S3Authenticator;
import dev.cumulus.storage.s3.auth.SigningKeys;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Wires the S3 wire-protocol adapter: signing keys from auth-service, SigV4, operations. */
@Configuration(proxyBeanMethods = false)
public class S3Configuration {

  @Bean
  SigningKeys signingKeys(
      StorageProperties properties, InternalProperties internal, WebClient.Builder webClients) {
    StorageProperties.S3 s3 = properties.s3();
    return new AuthServiceSigningKeys(
        webClients.baseUrl(s3.authUrl()).build(),
        internal.secret(),
        s3.keyCacheTtl(),
        s3.authTimeout());
  }

  @Bean
  RouterFunction<ServerResponse> s3Routes(
      StorageProperties properties,
      SigningKeys signingKeys,
      InstanceService instances,
      BucketService buckets,
      ObjectWriter writer,
      ObjectReader reader,
      ObjectDeleter deleter,
      ObjectLister lister,
      ObjectVersionService versions,
      MultipartService multipart,
      LifecycleService lifecycle,
      CorsService corsRules,
      S3Cors cors,
      MeterRegistry meters) {
    S3OperationTable operations =
        S3Api.table(
            new S3BucketOperations(buckets, lister, properties.s3().region()),
            new S3ObjectOperations(writer, reader, deleter),
            new S3MultipartOperations(multipart, reader),
            new S3VersionOperations(buckets, versions),
            new S3BucketConfigurations(lifecycle, corsRules),
            new S3EncryptionOperations(buckets));
    return new S3Routes(
            properties.s3().pathPrefix(),
            new S3Authenticator(signingKeys, Clock.systemUTC()),
            instances,
            operations,
            cors,
            new S3Expiration(lifecycle),
            new S3Metrics(meters))
        .routes();
  }

  /** Answers S3 CORS preflights (a filter: they are unsigned and WebFlux would answer them). */
  @Bean
  S3Cors s3Cors(StorageProperties properties, CorsService cors) {
    return new S3Cors(properties.s3().pathPrefix(), cors);
  }
}
