package dev.cumulus.updater.registry.web;

import dev.cumulus.platform.web.envelope.AutoUpdateResponse;
import dev.cumulus.updater.common.application.Permissions;
import dev.cumulus.updater.registry.application.RegistryLogins;
import dev.cumulus.updater.registry.domain.RegistryLogin;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Private-registry logins at {@code /api/images/registries/{registry}} (beyond the seed, in its
 * envelope): the password goes in and is never shown again.
 */
@RestController
@RequestMapping("/api/images/registries")
class RegistryLoginController {

  private final RegistryLogins logins;

  RegistryLoginController(RegistryLogins logins) {
    this.logins = logins;
  }

  record LoginRequest(String username, String password) {}

  @GetMapping
  Mono<AutoUpdateResponse<Map<String, Object>>> list() {
    return Permissions.require(Permissions.IMAGE_READ)
        .flatMapMany(caller -> logins.all(caller.tenantId()))
        .map(RegistryLoginController::view)
        .collectList()
        .flatMap(
            items ->
                AutoUpdateResponse.of(
                    "Registry logins retrieved successfully", Map.of("items", items)));
  }

  @GetMapping("/{registry}")
  Mono<AutoUpdateResponse<Map<String, Object>>> get(@PathVariable String registry) {
    return Permissions.require(Permissions.IMAGE_READ)
        .flatMap(caller -> logins.find(caller.tenantId(), registry))
        .flatMap(
            login -> AutoUpdateResponse.of("Registry login retrieved successfully", view(login)));
  }

  @PutMapping("/{registry}")
  Mono<ResponseEntity<AutoUpdateResponse<Map<String, Object>>>> put(
      @PathVariable String registry, @RequestBody(required = false) LoginRequest body) {
    LoginRequest request = body == null ? new LoginRequest(null, null) : body;
    return Permissions.require(Permissions.IMAGE_WRITE)
        .flatMap(
            caller ->
                logins.save(caller.tenantId(), registry, request.username(), request.password()))
        .flatMap(
            saved ->
                AutoUpdateResponse.of(
                        saved.created() ? "Registry login created" : "Registry login updated",
                        view(saved.login()))
                    .map(
                        response ->
                            ResponseEntity.status(
                                    saved.created() ? HttpStatus.CREATED : HttpStatus.OK)
                                .body(response)));
  }

  @DeleteMapping("/{registry}")
  Mono<AutoUpdateResponse<Map<String, Object>>> delete(@PathVariable String registry) {
    return Permissions.require(Permissions.IMAGE_WRITE)
        .flatMap(caller -> logins.delete(caller.tenantId(), registry))
        .then(
            AutoUpdateResponse.of(
                "Registry login deleted", Map.<String, Object>of("registry", registry)));
  }

  private static Map<String, Object> view(RegistryLogin login) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("registry", login.registry());
    view.put("username", login.username());
    view.put("created_at", login.createdAt());
    view.put("updated_at", login.updatedAt());
    return view;
  }
}
