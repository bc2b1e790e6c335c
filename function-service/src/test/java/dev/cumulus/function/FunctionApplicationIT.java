package dev.cumulus.function;

import dev.cumulus.platform.testsupport.ServiceBootContract;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(
    classes = FunctionApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FunctionApplicationIT extends ServiceBootContract {}
