package dev.cumulus.function;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Functions (DockSaaS and EventFlow seeds). */
@SpringBootApplication
public class FunctionApplication {

  public static void main(String[] args) {
    SpringApplication.run(FunctionApplication.class, args);
  }
}
