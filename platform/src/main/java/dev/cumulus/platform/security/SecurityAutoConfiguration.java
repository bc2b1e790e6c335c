package dev.cumulus.platform.security;

import dev.cumulus.platform.error.ApiErrorWebExceptionHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Makes every service an OAuth2 resource server: each request's bearer token is verified against
 * auth-service's JWKS (RS256, issuer, expiry), whatever the gateway already checked. Actuator,
 * OpenAPI and Swagger UI are public; a service opens more with {@code
 * cumulus.security.public-paths}. A service that authenticates differently (the gateway) or owns
 * the keys (auth-service) replaces the {@link SecurityWebFilterChain} or {@link ReactiveJwtDecoder}
 * bean.
 */
@AutoConfiguration(
    before = {
      ReactiveOAuth2ResourceServerAutoConfiguration.class,
      ReactiveWebSecurityAutoConfiguration.class,
      ReactiveManagementWebSecurityAutoConfiguration.class,
      ReactiveUserDetailsServiceAutoConfiguration.class
    })
@ConditionalOnClass(SecurityWebFilterChain.class)
@EnableConfigurationProperties(CumulusSecurityProperties.class)
public class SecurityAutoConfiguration {

  /**
   * Off for a service that authenticates every request itself and runs no Spring Security web chain
   * at all (the gateway): the token decoder and the revocation check stay.
   */
  public static final String RESOURCE_SERVER = "cumulus.security.resource-server.enabled";

  @Bean
  @ConditionalOnMissingBean
  ReactiveJwtDecoder jwtDecoder(CumulusSecurityProperties properties) {
    // Nimbus caches the key set and fetches it again when a token names an unknown kid (rotation).
    NimbusReactiveJwtDecoder decoder =
        NimbusReactiveJwtDecoder.withJwkSetUri(properties.jwksUri().toString())
            .jwsAlgorithm(SignatureAlgorithm.RS256)
            .webClient(jwksClient())
            .build();
    decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(properties.issuer()));
    return new VerifiedTokenCache(
        new UnknownKeyGuard(decoder, Duration.ofMinutes(5), 10_000),
        VERIFIED_TOKENS,
        VERIFIED_TOKEN_MAX_AGE);
  }

  /**
   * Fetching the key set must never hang a request: a fetch that gets no answer within 3 s is
   * retried on a fresh attempt (twice), then fails the one request that needed it (401), and the
   * next request fetches again. The default client has no timeout at all.
   */
  private static WebClient jwksClient() {
    return WebClient.builder()
        .filter(
            (request, next) ->
                next.exchange(request).timeout(JWKS_FETCH_TIMEOUT).retry(JWKS_FETCH_RETRIES))
        .build();
  }

  /** Verified tokens remembered per service (a few MB at most), each for at most 5 minutes. */
  private static final long VERIFIED_TOKENS = 10_000;

  private static final Duration VERIFIED_TOKEN_MAX_AGE = Duration.ofMinutes(5);

  private static final Duration JWKS_FETCH_TIMEOUT = Duration.ofSeconds(3);
  private static final int JWKS_FETCH_RETRIES = 2;

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(value = RESOURCE_SERVER, matchIfMissing = true)
  SecurityWebFilterChain resourceServerFilterChain(
      ServerHttpSecurity http,
      ReactiveJwtDecoder jwtDecoder,
      CumulusSecurityProperties properties,
      ApiErrorWebExceptionHandler errors) {
    List<String> publicPaths = new ArrayList<>(CumulusSecurityProperties.ALWAYS_PUBLIC);
    publicPaths.addAll(properties.publicPaths());
    EnvelopeAuthenticationFailureHandlers failures =
        new EnvelopeAuthenticationFailureHandlers(errors);
    return http.securityMatcher(outside(properties.selfAuthenticatedPaths()))
        .csrf(ServerHttpSecurity.CsrfSpec::disable) // bearer tokens, no cookies
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .authorizeExchange(
            exchanges -> {
              String[] anonymousReads = properties.anonymousReadPaths().toArray(String[]::new);
              if (anonymousReads.length > 0) {
                exchanges.pathMatchers(HttpMethod.GET, anonymousReads).permitAll();
                exchanges.pathMatchers(HttpMethod.HEAD, anonymousReads).permitAll();
              }
              exchanges
                  .pathMatchers(publicPaths.toArray(String[]::new))
                  .permitAll()
                  .anyExchange()
                  .authenticated();
            })
        .oauth2ResourceServer(
            server ->
                server
                    .authenticationEntryPoint(failures)
                    .accessDeniedHandler(failures)
                    .jwt(
                        jwt ->
                            jwt.jwtDecoder(jwtDecoder)
                                .jwtAuthenticationConverter(
                                    new ReactiveJwtAuthenticationConverterAdapter(
                                        SecurityAutoConfiguration::authentication))))
        .exceptionHandling(
            handling -> handling.authenticationEntryPoint(failures).accessDeniedHandler(failures))
        .build();
  }

  /**
   * Matches every request but those under the given patterns. Written out rather than composed from
   * Spring Security's matchers, which format a debug message per request and pattern even with
   * debug logging off (commons-logging 1.3 formats before the level check): this runs on every
   * request.
   */
  static ServerWebExchangeMatcher outside(List<String> patterns) {
    List<PathPattern> excluded =
        patterns.stream().map(PathPatternParser.defaultInstance::parse).toList();
    if (excluded.isEmpty()) {
      return ServerWebExchangeMatchers.anyExchange();
    }
    return exchange -> {
      PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
      for (PathPattern pattern : excluded) {
        if (pattern.matches(path)) {
          return MatchResult.notMatch();
        }
      }
      return MatchResult.match();
    };
  }

  @Bean
  @ConditionalOnProperty(value = RESOURCE_SERVER, matchIfMissing = true)
  TenantContextWebFilter tenantContextWebFilter() {
    return new TenantContextWebFilter();
  }

  /** The shared secret of {@code /internal/**} endpoints ({@code cumulus.internal.secret}). */
  @Bean
  @ConditionalOnMissingBean
  InternalSecret internalSecret(@Value("${cumulus.internal.secret:}") String secret) {
    return new InternalSecret(secret);
  }

  @Bean
  @ConditionalOnMissingBean
  RevocationCheck revocationCheck(
      ReactiveStringRedisTemplate redis, CumulusSecurityProperties properties) {
    CumulusSecurityProperties.CallerChecks settings = properties.callerChecks();
    return new RevocationCheck(
        redis, settings.recheckAfter(), settings.redisTimeout(), settings.maxEntries());
  }

  @Bean
  @ConditionalOnProperty(value = "cumulus.security.caller-checks.enabled", matchIfMissing = true)
  CallerChecksWebFilter callerChecksWebFilter(RevocationCheck revocations) {
    return new CallerChecksWebFilter(revocations);
  }

  /** Roles become {@code ROLE_x} authorities, permissions and scopes stay as they are. */
  static JwtAuthenticationToken authentication(Jwt jwt) {
    CumulusPrincipal principal = CumulusPrincipal.from(jwt);
    Collection<GrantedAuthority> authorities = new ArrayList<>();
    principal.roles().forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
    principal.permissions().forEach(p -> authorities.add(new SimpleGrantedAuthority(p)));
    principal.scopes().forEach(s -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + s)));
    return new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
  }

  /** Exposed for services that build their own chain but keep the same authorities. */
  public static Converter<Jwt, JwtAuthenticationToken> authenticationConverter() {
    return SecurityAutoConfiguration::authentication;
  }
}
