package com.cameloauth.token.consent;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.cameloauth.connection.ClientAuthMethod;
import com.cameloauth.connection.Secret;

/**
 * What the authorization code flow of one connection needs: the client registration and the two endpoints. Built
 * from a connection definition of policy {@code authorization-code}. {@code toString} masks the secret.
 *
 * @param connection       the connection name
 * @param authorizationUrl where the user's browser is sent ({@code authorization-url})
 * @param tokenUrl         where the code is redeemed ({@code token-url})
 * @param clientId         the client id
 * @param clientSecret     empty for a public client (client authentication none: {@code client_id} in the form)
 * @param clientAuth       how a confidential client authenticates ({@code client_secret_basic} or
 *                         {@code client_secret_post}); ignored for a public client
 * @param redirectUri      the registered redirect URI ({@code redirect-uri}), sent unchanged in both requests
 * @param scopes           the scopes to ask for; empty means the server's default
 * @param issuer           the authorization server's issuer identifier ({@code issuer}); when present, a callback
 *                         whose {@code iss} differs is refused (RFC 9207)
 */
public record ConsentClient(String connection, URI authorizationUrl, URI tokenUrl, String clientId,
        Optional<Secret> clientSecret, ClientAuthMethod clientAuth, URI redirectUri, List<String> scopes,
        Optional<String> issuer) {

    public ConsentClient {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(authorizationUrl, "authorizationUrl");
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(issuer, "issuer");
        scopes = List.copyOf(scopes);
    }

    /** A public client (no secret), as a native or single-page app registers; PKCE protects the code. */
    public static ConsentClient publicClient(String connection, URI authorizationUrl, URI tokenUrl, String clientId,
            URI redirectUri, List<String> scopes, Optional<String> issuer) {
        return new ConsentClient(connection, authorizationUrl, tokenUrl, clientId, Optional.empty(),
                ClientAuthMethod.CLIENT_SECRET_BASIC, redirectUri, scopes, issuer);
    }

    /** Whether the client authenticates with a secret at the token endpoint. */
    public boolean isConfidential() {
        return clientSecret.isPresent();
    }
}
