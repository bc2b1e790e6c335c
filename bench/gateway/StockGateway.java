import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The benchmark's peer: a stock Spring Cloud Gateway of the version Cumulus ships, one route to the
 * upstream and no filters, configured by properties only (run.sh passes them). It runs on the
 * gateway's own libraries minus Cumulus's modules and Spring Security, so the difference to the
 * Cumulus gateway is exactly what Cumulus adds: JWT, tenancy, rate limits, breakers, metrics, logs.
 *
 * <p>Usage: {@code java -cp '<libs>' StockGateway.java --server.port=... --spring.cloud...}
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class StockGateway {

  public static void main(String[] args) {
    SpringApplication.run(StockGateway.class, args);
  }
}
