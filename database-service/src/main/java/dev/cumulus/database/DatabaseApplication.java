package dev.cumulus.database;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Managed PostgreSQL (rdsdatabase) and DynamoDB-like NoSQL (nosqldatabase). */
@SpringBootApplication
public class DatabaseApplication {

  public static void main(String[] args) {
    SpringApplication.run(DatabaseApplication.class, args);
  }
}
