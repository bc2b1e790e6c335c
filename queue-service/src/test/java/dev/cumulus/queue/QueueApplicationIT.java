package dev.cumulus.queue;

import dev.cumulus.platform.testsupport.ServiceBootContract;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(
    classes = QueueApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QueueApplicationIT extends ServiceBootContract {}
