package dev.cumulus.auth.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Swagger UI's "Authorize" takes a bearer token from any of the login endpoints. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

  @Bean
  OpenAPI authServiceOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Cumulus auth-service")
                .description(
                    "Tenants, users, logins and tokens (seeds 001, 002, 003), API keys, JWKS and"
                        + " DockSaaS service instances (seed 000). Log in with POST"
                        + " /api/tenants/auth/ or /api/auth/login and paste the token into"
                        + " Authorize.")
                .version("v1"))
        .components(
            new Components()
                .addSecuritySchemes(
                    "bearer",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT")))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }
}
