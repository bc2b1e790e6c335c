package dev.cumulus.kafka;

import dev.cumulus.platform.testsupport.ServiceBootContract;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(
    classes = KafkaApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KafkaApplicationIT extends ServiceBootContract {}
