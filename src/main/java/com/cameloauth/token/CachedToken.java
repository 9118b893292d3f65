package com.cameloauth.token;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.ConnectionDefinition.TokenTiming;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.token.store.TokenStore;

/**
 * A cached token with its precomputed header and the times that matter to the engine. Replaced whole, never mutated,
 * so that the fast path reads it with one volatile read and allocates nothing. It also holds the token set it came
 * from (with the refresh token) and the store version of that set.
 *
 * @param set     the token set, refresh token included
 * @param version the store version the set was loaded or saved as ({@link TokenStore#ABSENT} when never stored)
 * @param unsaved true when saving the set failed: it is newer than the store's, and the next refresh saves it
 */
record CachedToken(Token token, Authorization authorization, long refreshAtMillis, long expiresAtMillis, TokenSet set,
        long version, boolean unsaved) {

    /** From a token set, as loaded or saved. */
    static CachedToken of(TokenSet set, long version, boolean unsaved, ConnectionDefinition connection) {
        Token token = Token.of(set.accessToken(), set.tokenType(), set.receivedAt(), set.expiresAt(), set.scopes());
        CachedToken c = of(token, connection);
        return new CachedToken(token, c.authorization, c.refreshAtMillis, c.expiresAtMillis, set, version, unsaved);
    }

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
        // A DPoP-bound token goes as "Authorization: DPoP <token>" (RFC 9449 7.1), whatever header-prefix says.
        Authorization authorization = new Authorization(connection.header().name(), "DPoP".equals(token.type())
                ? "DPoP " + token.value() : connection.header().valueFor(token.value()), token);
        return new CachedToken(token, authorization, refreshAt, expires,
                TokenSet.withoutRefreshToken(token.value(), token.type(), token.receivedAt(), token.expiresAt(),
                        token.scopes()), TokenStore.ABSENT, true);
    }

    /** The same token, refreshed no later than {@code millis} (and never after expiry). */
    CachedToken withRefreshAt(long millis) {
        return new CachedToken(token, authorization, Math.min(millis, expiresAtMillis), expiresAtMillis, set, version,
                unsaved);
    }
}
