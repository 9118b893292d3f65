package com.cameloauth.token;

import java.time.Duration;
import java.time.Instant;

/**
 * Something that happened in a connection's token lifecycle. Carries a token fingerprint, never a token or secret.
 *
 * @param type        what happened
 * @param connection  the connection name
 * @param at          when, from the engine's clock
 * @param fingerprint the token concerned, if any
 * @param detail      a short human-readable detail (an error code and status, an expiry), never a secret
 * @param grant       the connection's grant type as sent to the token endpoint (e.g. {@code client_credentials}),
 *                    null when unknown
 * @param duration    how long the token request took, by the engine's clock, when the event ended one; null when no
 *                    request was sent (a token adopted from the store, a 401, a revoke)
 * @param errorCode   the RFC 6749 error code the token endpoint answered (e.g. {@code invalid_client}), if any
 */
public record TokenEvent(Type type, String connection, Instant at, String fingerprint, String detail, String grant,
        Duration duration, String errorCode) {

    /** An event without grant, request duration or error code. */
    public TokenEvent(Type type, String connection, Instant at, String fingerprint, String detail) {
        this(type, connection, at, fingerprint, detail, null, null, null);
    }

    /** Whether the event ended a token request sent to the token endpoint (its {@link #duration} is known). */
    public boolean endedTokenRequest() {
        return duration != null;
    }

    public enum Type {
        /** The first token of the connection was obtained. */
        ACQUIRED,
        /** A new token replaced the previous one. */
        REFRESHED,
        /** A background refresh failed; the current token stays in use until it expires. */
        REFRESH_FAILED,
        /** No token could be obtained; the caller got an exception. */
        FAILED,
        /** The API rejected the current token with 401; it was evicted. */
        REJECTED,
        /** The token endpoint is blocked: circuit open, Retry-After, or a rejected client. Callers fail fast. */
        BLOCKED,
        /** The token endpoint answered {@code invalid_grant} to the refresh token: it was dropped, never sent again. */
        REFRESH_TOKEN_REJECTED,
        /** A user must give consent before the connection gets a token; callers fail fast until then. */
        CONSENT_REQUIRED,
        /** A user gave consent: the code was redeemed and the token set stored. */
        CONSENT_GRANTED,
        /** After a 401, a new token was obtained for the caller to send its request again, once. */
        REPLAYED,
        /** The token was dropped on request (revoke, invalidate, forget): the next call gets a new one. */
        REVOKED,
        /** The token store failed (Redis down or slow): this instance goes on from memory and fetches on its own. */
        STORE_UNAVAILABLE,
        /** The token store works again after {@link #STORE_UNAVAILABLE}: tokens are shared again. */
        STORE_RECOVERED,
        /** The stored entry could not be opened (modified, or copied from another key): ignored and replaced. */
        STORE_ENTRY_REJECTED
    }
}
