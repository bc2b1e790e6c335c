package dev.cumulus.database;

import dev.cumulus.platform.testsupport.ServiceBootContract;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(
    classes = DatabaseApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatabaseApplicationIT extends ServiceBootContract {}
