package com.cameloauth.connection.policy;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.cameloauth.connection.ClientAuthMethod;
import com.cameloauth.connection.Secret;

/**
 * An OAuth client as registered at an authorization server, and what it asks for.
 *
 * @param clientId     the client id
 * @param clientSecret the client secret; empty for a public client ({@link ClientAuthMethod#NONE}), for
 *                     {@code private_key_jwt} and for {@link ClientAuthMethod#TLS_CLIENT_AUTH} (the client
 *                     certificate authenticates)
 * @param clientAuth   how the client authenticates at the token endpoint
 * @param server       the authorization server's issuer and endpoints
 * @param scopes       the scopes to request; only these are requested
 * @param audience     the {@code audience} token request parameter
 * @param resources    resource indicators (RFC 8707)
 * @param assertion    how the client assertion is signed; present exactly for {@code client_secret_jwt} and
 *                     {@code private_key_jwt}
 */
public record ClientRegistration(String clientId, Optional<Secret> clientSecret, ClientAuthMethod clientAuth,
        AuthorizationServer server, List<String> scopes, Optional<String> audience, List<URI> resources,
        Optional<ClientAssertion> assertion) {

    public ClientRegistration {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(audience, "audience");
        scopes = List.copyOf(scopes);
        resources = List.copyOf(resources);
        Objects.requireNonNull(assertion, "assertion");
        boolean needsSecret = clientAuth != ClientAuthMethod.NONE && clientAuth != ClientAuthMethod.PRIVATE_KEY_JWT
                && clientAuth != ClientAuthMethod.TLS_CLIENT_AUTH;
        if (needsSecret != clientSecret.isPresent()) {
            throw new IllegalArgumentException(needsSecret ? "client-auth " + clientAuth + " needs a client secret"
                    : "client-auth " + clientAuth + " sends no client secret");
        }
        boolean signs = clientAuth == ClientAuthMethod.CLIENT_SECRET_JWT || clientAuth == ClientAuthMethod.PRIVATE_KEY_JWT;
        if (signs != assertion.isPresent()
                || signs && (clientAuth == ClientAuthMethod.PRIVATE_KEY_JWT) != assertion.get().key().isPresent()) {
            throw new IllegalArgumentException("client-auth " + clientAuth + (signs ? " needs its assertion settings"
                    + (clientAuth == ClientAuthMethod.PRIVATE_KEY_JWT ? " with a key" : " without a key")
                    : " signs no assertion"));
        }
    }

    /** A client that authenticates with a secret (basic, post) or none: no signed assertion. */
    public ClientRegistration(String clientId, Optional<Secret> clientSecret, ClientAuthMethod clientAuth,
            AuthorizationServer server, List<String> scopes, Optional<String> audience, List<URI> resources) {
        this(clientId, clientSecret, clientAuth, server, scopes, audience, resources, Optional.empty());
    }

    /** A public client: it authenticates with its client id only (client-auth=none). */
    public boolean isPublic() {
        return clientAuth == ClientAuthMethod.NONE;
    }
}
