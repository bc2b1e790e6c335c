package dev.cumulus.integration;

import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.testsupport.ServiceBootContract;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(
    classes = IntegrationApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IntegrationApplicationIT extends ServiceBootContract {

  /** Outside the dev profile the service needs its master key, as in production. */
  @DynamicPropertySource
  static void masterKey(DynamicPropertyRegistry registry) {
    registry.add("cumulus.integration.master-key", MasterKey::generateBase64);
  }
}
