package com.cameloauth.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Tokens that something else gets (a Quarkus OIDC client): the engine asks it where it would ask a token endpoint, and
 * still caches the token, refreshes ahead of expiry, replays once on 401 and reports events. Register one per
 * connection with {@link OAuthConnections.Builder#externalTokens}.
 */
@FunctionalInterface
public interface ExternalTokens {

    /**
     * A new access token; with {@code refreshToken} when the last one came with a refresh token. Throws an
     * {@link OAuthTokenException} (or any runtime exception, reported as the token endpoint being unavailable).
     */
    Issued get(Optional<String> refreshToken);

    /**
     * What the other party issued.
     *
     * @param accessToken  the access token
     * @param expiresAt    when it expires, if known (else the connection's default-expires-in)
     * @param refreshToken a refresh token, if any
     */
    record Issued(String accessToken, Optional<Instant> expiresAt, Optional<String> refreshToken) {
        public Issued {
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(refreshToken, "refreshToken");
        }

        @Override
        public String toString() {
            return "Issued[" + Token.fingerprint(accessToken) + ", expiresAt=" + expiresAt.orElse(null) + "]";
        }
    }
}
