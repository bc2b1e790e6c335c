package dev.cumulus.auth;

import dev.cumulus.platform.testsupport.ServiceBootContract;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(
    classes = AuthApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthApplicationIT extends ServiceBootContract {}
