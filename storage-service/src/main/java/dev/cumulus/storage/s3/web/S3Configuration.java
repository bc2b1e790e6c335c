package dev.cumulus.storage.s3.web;

import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.config.StorageProperties;
import dev.cumulus.storage.cors.application.CorsService;
import dev.cumulus.storage.instance.application.InstanceService;
import dev.cumulus.storage.lifecycle.application.LifecycleService;
import dev.cumulus.storage.multipart.application.MultipartService;
import dev.cumulus.storage.object.application.ObjectService;
import dev.cumulus.storage.object.application.ObjectVersionService;
import dev.cumulus.storage.s3.auth.AuthServiceSigningKeys;
import dev.cumulus.storage.s3.auth.S3Authenticator;
import dev.cumulus.storage.s3.auth.SigningKeys;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
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
      StorageProperties properties,
      WebClient.Builder webClients,
      @Value("${cumulus.internal.secret:}") String internalSecret) {
    StorageProperties.S3 s3 = properties.s3();
    return new AuthServiceSigningKeys(
        webClients.baseUrl(s3.authUrl()).build(),
        internalSecret,
        s3.keyCacheTtl(),
        s3.authTimeout());
  }

  @Bean
  RouterFunction<ServerResponse> s3Routes(
      StorageProperties properties,
      SigningKeys signingKeys,
      InstanceService instances,
      BucketService buckets,
      ObjectService objects,
      ObjectVersionService versions,
      MultipartService multipart,
      LifecycleService lifecycle,
      CorsService corsRules,
      S3Cors cors) {
    S3MultipartOperations multipartOperations = new S3MultipartOperations(multipart, objects);
    S3ObjectOperations objectOperations = new S3ObjectOperations(objects, multipartOperations);
    return new S3Routes(
            properties.s3().pathPrefix(),
            new S3Authenticator(signingKeys, Clock.systemUTC()),
            instances,
            new S3BucketOperations(
                buckets,
                objects,
                objectOperations,
                multipartOperations,
                new S3VersionOperations(buckets, versions),
                new S3BucketConfigurations(lifecycle, corsRules),
                properties.s3().region(),
                new S3EncryptionOperations(buckets)),
            objectOperations,
            cors,
            new S3Expiration(lifecycle))
        .routes();
  }

  /** Answers S3 CORS preflights (a filter: they are unsigned and WebFlux would answer them). */
  @Bean
  S3Cors s3Cors(StorageProperties properties, CorsService cors) {
    return new S3Cors(properties.s3().pathPrefix(), cors);
  }
}
