package com.cameloauth.component;

import java.util.Map;
import java.util.Optional;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import com.cameloauth.token.ConnectionState;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenManager;

/**
 * The health of one connection: UP while a token can be had (IDLE, ACTIVE, EXPIRED), DOWN while the token endpoint
 * fails or asks to wait (UNAVAILABLE) or rejected the client (FAILED). Static-credential connections are always UP.
 * Readiness only: restarting the application does not fix an authorization server. Reports state, never a token.
 */
final class ConnectionHealthCheck extends AbstractHealthCheck {
    static final String GROUP = "oauth";

    private final OAuthConnections connections;
    private final String connection;

    ConnectionHealthCheck(OAuthConnections connections, String connection) {
        super(GROUP, "oauth-connection-" + connection);
        this.connections = connections;
        this.connection = connection;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("connection", connection);
        connections.definition(connection).ifPresent(d -> builder.detail("policy", d.policy().value()));
        Optional<TokenManager> manager = connections.tokenManager(connection);
        if (manager.isEmpty()) {
            builder.detail("state", "STATIC").up();
            return;
        }
        ConnectionState state = manager.get().state();
        builder.detail("state", state.name());
        manager.get().cachedToken().ifPresent(t -> builder.detail("token.expires.at", t.expiresAt().toString()));
        if (state == ConnectionState.FAILED || state == ConnectionState.UNAVAILABLE) {
            // OAuthTokenException messages name the connection, status and error code; never a secret or token
            manager.get().lastFailure().ifPresent(f -> builder.message(f.getMessage()).detail("failure", f.getMessage()));
            builder.down();
        } else {
            builder.up();
        }
    }
}
