package com.cameloauth.token.discovery;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What an authorization server says about itself (RFC 8414 / OpenID Connect Discovery), already checked: the issuer
 * equals the configured one and every endpoint is https (or http when the issuer itself is, which configuration allows
 * only with allow-insecure).
 *
 * @param issuer                the issuer, exactly as configured
 * @param tokenEndpoint         {@code token_endpoint}
 * @param authorizationEndpoint {@code authorization_endpoint}
 * @param revocationEndpoint    {@code revocation_endpoint} (RFC 7009)
 * @param introspectionEndpoint {@code introspection_endpoint} (RFC 7662)
 */
public record ServerMetadata(URI issuer, Optional<URI> tokenEndpoint, Optional<URI> authorizationEndpoint,
        Optional<URI> revocationEndpoint, Optional<URI> introspectionEndpoint) {

    public ServerMetadata {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        Objects.requireNonNull(authorizationEndpoint, "authorizationEndpoint");
        Objects.requireNonNull(revocationEndpoint, "revocationEndpoint");
        Objects.requireNonNull(introspectionEndpoint, "introspectionEndpoint");
    }
}
