package com.cameloauth.token;

import java.time.Instant;

/**
 * Something that happened in a connection's token lifecycle. Carries a token fingerprint, never a token or secret.
 *
 * @param type        what happened
 * @param connection  the connection name
 * @param at          when, from the engine's clock
 * @param fingerprint the token concerned, if any
 * @param detail      a short human-readable detail (an error code and status, an expiry), never a secret
 */
public record TokenEvent(Type type, String connection, Instant at, String fingerprint, String detail) {

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
        CONSENT_GRANTED
    }
}
