package dev.cumulus.storage.sharelink.web;

import dev.cumulus.platform.security.CumulusSecurityProperties;
import dev.cumulus.platform.web.TrustedProxies;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.config.StorageProperties;
import java.net.InetSocketAddress;
import java.net.URI;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * Where clients reach the S3 endpoint, for the links the REST API signs (the signature covers the
 * Host header): {@code cumulus.storage.s3.public-url} when set (the gateway's public URL, which a
 * deployment knows); else the origin of the request itself, as a trusted proxy forwarded it ({@code
 * X-Forwarded-Host} and {@code -Proto}, right-most entries) or as it arrived.
 */
@Component
class PublicS3Origin {

  private final URI configured;
  private final TrustedProxies proxies;

  PublicS3Origin(StorageProperties properties, CumulusSecurityProperties security) {
    this.configured =
        properties.s3().publicUrl() == null ? null : configured(properties.s3().publicUrl());
    this.proxies = TrustedProxies.of(security.trustedProxies());
  }

  URI of(ServerHttpRequest request) {
    if (configured != null) {
      return configured;
    }
    String scheme = request.getURI().getScheme();
    String authority = request.getURI().getRawAuthority();
    InetSocketAddress peer = request.getRemoteAddress();
    if (peer != null && peer.getAddress() != null && proxies.trusts(peer.getAddress())) {
      String host = lastEntry(request.getHeaders().getFirst("X-Forwarded-Host"));
      String proto = lastEntry(request.getHeaders().getFirst("X-Forwarded-Proto"));
      authority = host == null ? authority : host;
      scheme = proto == null ? scheme : proto;
    }
    try {
      URI origin = new URI(scheme + "://" + authority);
      if (origin.getHost() == null) {
        throw new IllegalArgumentException("no host");
      }
      return origin;
    } catch (Exception e) {
      throw StorageErrors.invalidRequest(
          "The request's host cannot be a link's origin: " + scheme + "://" + authority);
    }
  }

  private static String lastEntry(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    return header.substring(header.lastIndexOf(',') + 1).trim();
  }

  private static URI configured(String url) {
    URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    if (uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
      throw new IllegalStateException(
          "cumulus.storage.s3.public-url (CUMULUS_S3_PUBLIC_URL) must be http(s)://host[:port]"
              + " without a path, not "
              + url);
    }
    return uri;
  }
}
