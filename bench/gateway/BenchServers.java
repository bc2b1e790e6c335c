import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The gateway benchmark's two helpers in one process (run with the gateway's libraries on the class
 * path): a trivial upstream (Reactor Netty, answers every request with a small JSON body), a
 * signing key whose JWKS is served over HTTP, with one RS256 access token written to a file, and a
 * bare reverse proxy (Reactor Netty server + pooled client, no logic at all) in front of the
 * upstream: the ceiling any JVM proxy can reach on the same cores.
 *
 * <p>Usage: {@code java -cp 'lib/*' BenchServers.java <upstreamPort> <jwksPort> <tokenFile>
 * <tenantId> <bareProxyPort> [<proxiedPort>]}: the bare proxy forwards to the trivial upstream, or
 * to {@code proxiedPort} when given (bench/functions puts it in front of function-service).
 */
public class BenchServers {

  public static void main(String[] args) throws Exception {
    int upstreamPort = Integer.parseInt(args[0]);
    int jwksPort = Integer.parseInt(args[1]);
    Path tokenFile = Path.of(args[2]);
    String tenant = args[3];
    int bareProxyPort = Integer.parseInt(args[4]);
    int proxiedPort = args.length > 5 ? Integer.parseInt(args[5]) : upstreamPort;

    byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    DisposableServer upstream =
        reactor.netty.http.server.HttpServer.create()
            .host("127.0.0.1")
            .port(upstreamPort)
            .handle(
                (request, response) ->
                    response
                        .header("Content-Type", "application/json")
                        .header("Content-Length", Integer.toString(body.length))
                        .sendByteArray(Mono.just(body)))
            .bindNow();

    HttpClient client =
        HttpClient.create(ConnectionProvider.create("bare-proxy", 1000))
            .baseUrl("http://127.0.0.1:" + proxiedPort);
    reactor.netty.http.server.HttpServer.create()
        .host("127.0.0.1")
        .port(bareProxyPort)
        .handle(
            (request, response) ->
                client
                    .headers(headers -> headers.set(request.requestHeaders()))
                    .request(request.method())
                    .uri(request.uri())
                    .send(request.receive().retain())
                    .response(
                        (upstreamResponse, upstreamBody) ->
                            response
                                .status(upstreamResponse.status())
                                .headers(upstreamResponse.responseHeaders())
                                .send(upstreamBody.retain())))
        .bindNow();

    RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    HttpServer keys = HttpServer.create(new InetSocketAddress("127.0.0.1", jwksPort), 0);
    keys.createContext(
        "/.well-known/jwks.json",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, jwks.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(jwks);
          }
        });
    keys.start();

    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer("cumulus")
            .subject("42")
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(6 * 3600)))
            .claim("tenant_id", tenant)
            .claim("tenant_domain", tenant)
            .claim("plan", "enterprise")
            .claim("username", "bench")
            .claim("roles", List.of("user"))
            .claim("permissions", List.of())
            // A user session, as logins issue: the gateway checks it has not ended (logout).
            .claim("sid", UUID.randomUUID().toString())
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    jwt.sign(new RSASSASigner(key));
    Files.writeString(tokenFile, jwt.serialize());
    System.out.println("upstream on " + upstream.port() + ", JWKS on " + jwksPort);
    upstream.onDispose().block();
  }
}
