package com.cameloauth.token;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.ConnectionDefinition.TokenTiming;

/**
 * A cached token with its precomputed header and the times that matter to the engine. Replaced whole, never mutated,
 * so that the fast path reads it with one volatile read and allocates nothing.
 */
record CachedToken(Token token, Authorization authorization, long refreshAtMillis, long expiresAtMillis) {

    /**
     * Refresh point: {@code refresh-skew} before expiry, by default a fifth of the lifetime plus up to 5 % jitter;
     * never before half-life, or a skew as long as the lifetime would refresh on every call.
     */
    static CachedToken of(Token token, ConnectionDefinition connection) {
        long received = token.receivedAt().toEpochMilli();
        long expires = token.expiresAt().toEpochMilli();
        long lifetime = expires - received;
        TokenTiming timing = connection.timing();
        long skew = timing.refreshSkew().map(Duration::toMillis)
                .orElseGet(() -> lifetime / 5 + ThreadLocalRandom.current().nextLong(lifetime / 20 + 1));
        long refreshAt = Math.max(received + lifetime / 2, expires - skew);
        Authorization authorization = new Authorization(connection.header().name(),
                connection.header().valueFor(token.value()), token);
        return new CachedToken(token, authorization, refreshAt, expires);
    }

    /** The same token, refreshed no later than {@code millis} (and never after expiry). */
    CachedToken withRefreshAt(long millis) {
        return new CachedToken(token, authorization, Math.min(millis, expiresAtMillis), expiresAtMillis);
    }
}
