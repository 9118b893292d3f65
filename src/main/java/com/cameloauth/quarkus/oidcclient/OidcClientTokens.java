package com.cameloauth.quarkus.oidcclient;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.policy.OidcClientPolicy;
import com.cameloauth.token.ExternalTokens;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenEndpointUnavailableException;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientException;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;

/**
 * Policy {@code oidc-client}: the connection's tokens come from {@code quarkus.oidc-client.<name>}, looked up when a
 * token is needed (the OIDC client may start after the engine). Waits at most the connection's request-timeout; the
 * OIDC client's messages are not repeated (they may quote the token endpoint's answer).
 */
public final class OidcClientTokens implements ExternalTokens {
    private final String connection;
    private final String clientName;
    private final Supplier<OidcClients> clients;
    private final Duration timeout;

    OidcClientTokens(ConnectionDefinition definition, OidcClientPolicy policy, Supplier<OidcClients> clients) {
        this.connection = definition.name();
        this.clientName = policy.clientName();
        this.clients = clients;
        this.timeout = definition.timeouts().request();
    }

    /**
     * Registers every oidc-client connection of {@code definitions} with the engine builder; the OIDC clients are
     * looked up only when such a connection needs a token.
     */
    public static OAuthConnections.Builder register(OAuthConnections.Builder builder,
            Map<String, ConnectionDefinition> definitions, Supplier<OidcClients> clients) {
        definitions.values().forEach(d -> {
            if (d.security() instanceof OidcClientPolicy p) {
                builder.externalTokens(d.name(), new OidcClientTokens(d, p, clients));
            }
        });
        return builder;
    }

    @Override
    public Issued get(Optional<String> refreshToken) {
        OidcClient client;
        try {
            client = clients.get().getClient(clientName);
        } catch (RuntimeException e) {
            client = null;
        }
        if (client == null) {
            throw new TokenEndpointUnavailableException(connection, "quarkus.oidc-client." + clientName + " is not"
                    + " configured (set oidc-client-name to the name of a configured OIDC client)", 0, null, null);
        }
        Tokens tokens;
        try {
            tokens = (refreshToken.isPresent() ? client.refreshTokens(refreshToken.get()) : client.getTokens())
                    .await().atMost(timeout);
        } catch (OidcClientException e) {
            throw new TokenEndpointUnavailableException(connection, "quarkus.oidc-client." + clientName
                    + " could not get a token (OidcClientException); see its log", 0, null, null);
        }
        Long expiresAt = tokens.getAccessTokenExpiresAt();
        return new Issued(tokens.getAccessToken(), Optional.ofNullable(expiresAt).map(Instant::ofEpochSecond),
                Optional.ofNullable(tokens.getRefreshToken()));
    }
}
