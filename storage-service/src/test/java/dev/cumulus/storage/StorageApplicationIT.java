package dev.cumulus.storage;

import dev.cumulus.platform.testsupport.ServiceBootContract;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(
    classes = StorageApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StorageApplicationIT extends ServiceBootContract {}
