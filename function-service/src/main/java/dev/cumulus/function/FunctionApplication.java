package dev.cumulus.function;

import dev.cumulus.function.config.ContainerProperties;
import dev.cumulus.function.config.FunctionProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Functions: seed 000's Lambda-like functions, run for real in sandboxed warm runtime processes.
 */
@SpringBootApplication
@EnableConfigurationProperties({FunctionProperties.class, ContainerProperties.class})
public class FunctionApplication {

  public static void main(String[] args) {
    SpringApplication.run(FunctionApplication.class, args);
  }
}
