package dev.cumulus.updater;

import dev.cumulus.platform.testsupport.ServiceBootContract;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(
    classes = UpdaterApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UpdaterApplicationIT extends ServiceBootContract {}
