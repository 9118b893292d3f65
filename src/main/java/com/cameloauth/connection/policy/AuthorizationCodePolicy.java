package com.cameloauth.connection.policy;

import java.net.URI;
import java.util.Objects;

import com.cameloauth.connection.Policy;

/**
 * {@code authorization-code}: a user consents in a browser (PKCE S256), the code comes back to {@code redirectUri},
 * and the refresh token is kept. The authorization endpoint is in {@link ClientRegistration#server()}, configured or
 * to be discovered from the issuer.
 */
public record AuthorizationCodePolicy(ClientRegistration client, URI redirectUri) implements SecurityPolicy, OAuthPolicy {

    /** Where the consent callback is served unless {@code redirect-uri} says otherwise. */
    public static final URI DEFAULT_REDIRECT_URI = URI.create("http://localhost:8080/oauth/callback");

    public AuthorizationCodePolicy {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(redirectUri, "redirectUri");
        if (client.server().authorizationUrl().isEmpty() && client.server().issuer().isEmpty()) {
            throw new IllegalArgumentException("an authorization URL, or an issuer to discover it from, is required");
        }
    }

    @Override
    public Policy policy() {
        return Policy.AUTHORIZATION_CODE;
    }
}
