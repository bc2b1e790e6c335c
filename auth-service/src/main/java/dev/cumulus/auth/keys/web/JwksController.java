package dev.cumulus.auth.keys.web;

import dev.cumulus.auth.common.application.CallerResolver;
import dev.cumulus.auth.keys.application.KeyRing;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The public keys that verify Cumulus tokens, and their rotation. */
@RestController
@Tag(name = "Signing keys", description = "JWKS and key rotation")
public class JwksController {

  private final KeyRing keys;
  private final CallerResolver callers;

  public JwksController(KeyRing keys, CallerResolver callers) {
    this.keys = keys;
    this.callers = callers;
  }

  @GetMapping("/.well-known/jwks.json")
  @Operation(summary = "Public keys (JWKS) of every key whose tokens may still be valid")
  public ResponseEntity<Map<String, Object>> jwks() {
    // Short cache: verifiers refetch on an unknown kid anyway.
    return ResponseEntity.ok()
        .cacheControl(CacheControl.maxAge(Duration.ofMinutes(1)).cachePublic())
        .body(keys.jwks());
  }

  public record RotationView(String kid, String algorithm) {}

  @PostMapping("/api/admin/signing-keys/rotate")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Start signing with a new key (platform admin); the old one stays published")
  public Mono<RotationView> rotate() {
    return callers
        .resolve()
        .map(caller -> caller.requirePlatformAdmin())
        .flatMap(caller -> keys.rotate(caller.actor()))
        .map(key -> new RotationView(key.kid(), "RS256"));
  }
}
