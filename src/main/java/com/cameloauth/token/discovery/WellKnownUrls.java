package com.cameloauth.token.discovery;

import java.net.URI;
import java.util.List;

/** Where an issuer's metadata may be: OpenID Connect appends to the issuer, RFC 8414 inserts before its path. */
final class WellKnownUrls {
    static final String OIDC = "/.well-known/openid-configuration";
    static final String OAUTH = "/.well-known/oauth-authorization-server";

    private WellKnownUrls() {
    }

    /**
     * {@code https://host/tenant1} gives {@code https://host/tenant1/.well-known/openid-configuration} (OIDC Discovery
     * 4) and {@code https://host/.well-known/oauth-authorization-server/tenant1} (RFC 8414 3.1), in this order.
     */
    static List<URI> of(URI issuer) {
        String path = issuer.getRawPath() == null ? "" : issuer.getRawPath();
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String origin = issuer.getScheme() + "://" + issuer.getRawAuthority();
        return List.of(URI.create(origin + trimmed + OIDC), URI.create(origin + OAUTH + trimmed));
    }
}
