package com.cameloauth.token.grant;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.token.store.TokenSet;

/**
 * What a grant sees when it builds the next token request: the connection and the token set the engine holds now
 * (from the store, or from memory when the store failed), with its refresh token if there is one.
 *
 * @param connection the connection definition
 * @param current    the current token set, if any
 * @param now        the engine clock's time
 */
public record GrantContext(ConnectionDefinition connection, Optional<TokenSet> current, Instant now) {

    public GrantContext {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(now, "now");
    }

    /** A context without a token set: the first request of a connection. */
    public static GrantContext initial(ConnectionDefinition connection, Instant now) {
        return new GrantContext(connection, Optional.empty(), now);
    }

    /** The refresh token of the current set, unless it is known to have expired. */
    public Optional<String> usableRefreshToken() {
        return current.filter(s -> s.hasUsableRefreshTokenAt(now)).flatMap(TokenSet::refreshToken);
    }

    /** The same context without the refresh token (after the server rejected it). */
    public GrantContext withoutRefreshToken() {
        return new GrantContext(connection, current.map(TokenSet::withoutRefreshToken), now);
    }
}
