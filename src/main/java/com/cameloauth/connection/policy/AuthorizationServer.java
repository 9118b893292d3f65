package com.cameloauth.connection.policy;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the authorization server is. Endpoints configured explicitly win; the ones left empty are to be discovered
 * from {@code <issuer>/.well-known/openid-configuration} or {@code /.well-known/oauth-authorization-server} at start.
 *
 * @param issuer           the issuer identifier (RFC 8414), also checked against {@code iss} on the consent callback (RFC 9207)
 * @param tokenUrl         the token endpoint, unless it is to be discovered
 * @param authorizationUrl the authorization endpoint (authorization-code), unless it is to be discovered
 * @param revocationUrl    the revocation endpoint (RFC 7009), used by the {@code revoke} operation
 * @param introspectionUrl the introspection endpoint (RFC 7662), used by the {@code introspect} operation
 */
public record AuthorizationServer(Optional<URI> issuer, Optional<URI> tokenUrl, Optional<URI> authorizationUrl,
        Optional<URI> revocationUrl, Optional<URI> introspectionUrl) {

    public AuthorizationServer {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        Objects.requireNonNull(authorizationUrl, "authorizationUrl");
        Objects.requireNonNull(revocationUrl, "revocationUrl");
        Objects.requireNonNull(introspectionUrl, "introspectionUrl");
        if (tokenUrl.isEmpty() && issuer.isEmpty()) {
            throw new IllegalArgumentException("a token URL, or an issuer to discover it from, is required");
        }
    }

    /** A server known only by its token endpoint. */
    public static AuthorizationServer ofTokenUrl(URI tokenUrl) {
        return new AuthorizationServer(Optional.empty(), Optional.of(tokenUrl), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** Whether some endpoint must be discovered from the issuer before the policy can run. */
    public boolean needsDiscovery() {
        return tokenUrl.isEmpty();
    }
}
