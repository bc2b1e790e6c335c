package dev.cumulus.updater;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Container auto-updates (Docker Auto-Update seed). */
@SpringBootApplication
public class UpdaterApplication {

  public static void main(String[] args) {
    SpringApplication.run(UpdaterApplication.class, args);
  }
}
