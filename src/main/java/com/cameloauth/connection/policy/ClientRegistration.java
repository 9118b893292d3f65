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
 * @param clientSecret the client secret; empty exactly for a public client ({@link ClientAuthMethod#NONE}) and for
 *                     {@link ClientAuthMethod#TLS_CLIENT_AUTH} (the client certificate authenticates)
 * @param clientAuth   how the client authenticates at the token endpoint
 * @param server       the authorization server's issuer and endpoints
 * @param scopes       the scopes to request; only these are requested
 * @param audience     the {@code audience} token request parameter
 * @param resources    resource indicators (RFC 8707)
 */
public record ClientRegistration(String clientId, Optional<Secret> clientSecret, ClientAuthMethod clientAuth,
        AuthorizationServer server, List<String> scopes, Optional<String> audience, List<URI> resources) {

    public ClientRegistration {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(audience, "audience");
        scopes = List.copyOf(scopes);
        resources = List.copyOf(resources);
        boolean isPublic = clientAuth == ClientAuthMethod.NONE;
        boolean secretless = isPublic || clientAuth == ClientAuthMethod.TLS_CLIENT_AUTH;
        if (secretless == clientSecret.isPresent()) {
            throw new IllegalArgumentException(secretless ? "client-auth " + clientAuth + " sends no secret"
                    : "client-auth " + clientAuth + " needs a client secret");
        }
    }

    /** A public client: it authenticates with its client id only (client-auth=none). */
    public boolean isPublic() {
        return clientAuth == ClientAuthMethod.NONE;
    }
}
