package dev.cumulus.commerce.sheets.config;

import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.sheets.v4.Sheets;
import com.google.api.services.sheets.v4.SheetsScopes;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import dev.cumulus.commerce.common.application.IntegrationMonitor;
import dev.cumulus.commerce.sheets.application.OrderSheets;
import dev.cumulus.commerce.sheets.persistence.SheetRowRepository;
import dev.cumulus.commerce.sheets.sandbox.SheetsSandbox;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/** Google's Sheets client against Google, or against the built-in sandbox without credentials. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SheetsProperties.class)
public class SheetsConfiguration {

  @Bean(destroyMethod = "close")
  public SheetsSandboxHolder sheetsSandbox(SheetsProperties properties) {
    return new SheetsSandboxHolder(
        properties.sandbox()
            ? SheetsSandbox.start(properties.sandboxPort(), properties.sandboxWritesPerMinute())
            : null);
  }

  @Bean
  OrderSheets orderSheets(
      SheetsProperties properties,
      SheetsSandboxHolder sandbox,
      SheetRowRepository rows,
      ObjectMapper json,
      IntegrationMonitor monitor)
      throws IOException {
    Sheets.Builder client;
    if (sandbox.get() != null) {
      client =
          new Sheets.Builder(
                  new NetHttpTransport(), GsonFactory.getDefaultInstance(), request -> {})
              .setRootUrl(sandbox.get().rootUrl());
      monitor.integration("googleSheets").configure("sandbox", () -> "closed");
      monitor.integration("googleSheets").sandboxAt(sandbox.get().rootUrl() + "sheets/<sheet id>");
    } else {
      client =
          new Sheets.Builder(
              new NetHttpTransport(), GsonFactory.getDefaultInstance(), credentials(properties));
      monitor.integration("googleSheets").configure("live", () -> "closed");
    }
    return new OrderSheets(
        client.setApplicationName("cumulus-commerce").build(),
        rows,
        tenant ->
            sandbox.get() != null ? "orders-" + tenant : properties.spreadsheets().get(tenant),
        properties.range(),
        json,
        monitor);
  }

  private static HttpRequestInitializer credentials(SheetsProperties properties)
      throws IOException {
    try (InputStream key = new FileInputStream(properties.credentials())) {
      return new HttpCredentialsAdapter(
          GoogleCredentials.fromStream(key).createScoped(List.of(SheetsScopes.SPREADSHEETS)));
    }
  }

  /** Holds the sandbox or nothing (a bean may not be null). */
  public static final class SheetsSandboxHolder implements AutoCloseable {
    private final SheetsSandbox sandbox;

    SheetsSandboxHolder(SheetsSandbox sandbox) {
      this.sandbox = sandbox;
    }

    public SheetsSandbox get() {
      return sandbox;
    }

    @Override
    public void close() {
      if (sandbox != null) {
        sandbox.close();
      }
    }
  }
}
