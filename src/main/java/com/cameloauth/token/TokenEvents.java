package com.cameloauth.token;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports a connection's token events: one log line each, then the listeners. Fingerprints only, never a token. */
final class TokenEvents {
    private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);

    private final String connection;
    private final String grantName;
    private final Clock clock;
    private final TokenEventListener listener;

    TokenEvents(String connection, String grantName, Clock clock, TokenEventListener listener) {
        this.connection = connection;
        this.grantName = grantName;
        this.clock = clock;
        this.listener = listener;
    }

    void emit(TokenEvent.Type type, Token token, String detail) {
        emit(type, token, detail, null, null);
    }

    /** An event that ended a token request of {@code requestDuration} (null: none), with the RFC error code if any. */
    void emit(TokenEvent.Type type, Token token, String detail, Duration requestDuration, String errorCode) {
        String fingerprint = token == null ? null : token.fingerprint();
        if (type == TokenEvent.Type.REFRESH_FAILED || type == TokenEvent.Type.FAILED) {
            LOG.warn("{} ({})", detail, type == TokenEvent.Type.FAILED ? "no token" : "the current token stays in use");
        } else if (type == TokenEvent.Type.BLOCKED) {
            LOG.warn("oauth connection '{}': token endpoint blocked ({}): callers fail fast until it ends", connection,
                    detail);
        } else if (type == TokenEvent.Type.STORE_UNAVAILABLE || type == TokenEvent.Type.STORE_ENTRY_REJECTED) {
            LOG.warn("oauth connection '{}': {}", connection, detail);
        } else {
            LOG.info("oauth connection '{}': token {}{} via {} ({})", connection, type.name().toLowerCase(),
                    fingerprint == null ? "" : " fp=" + fingerprint, grantName, detail);
        }
        try {
            listener.onEvent(new TokenEvent(type, connection, clock.instant(), fingerprint, detail, grantName,
                    requestDuration, errorCode));
        } catch (RuntimeException | Error e) {
            OAuthConnections.listenerFailed(connection, e);
        }
    }
}
