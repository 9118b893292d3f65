package com.cameloauth.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * An access token as received. Expiry is computed from the local time of receipt, never from the server's clock.
 * {@code toString} shows the fingerprint, never the value.
 *
 * @param value       the token itself: give it only to the resource server
 * @param type        the token type as the server wrote it (Bearer in any case)
 * @param receivedAt  local time the response arrived
 * @param expiresAt   receivedAt plus the (clamped) lifetime; equal to receivedAt for a token that must not be cached
 * @param scopes      granted scopes: the response's scope, or the requested ones when the response has none (RFC 6749 5.1)
 * @param fingerprint a short hash for correlation in logs, events and the management API
 */
public record Token(String value, String type, Instant receivedAt, Instant expiresAt, List<String> scopes, String fingerprint) {

    public Token {
        Objects.requireNonNull(value, "value");
        scopes = List.copyOf(scopes);
    }

    public static Token of(String value, String type, Instant receivedAt, Instant expiresAt, List<String> scopes) {
        return new Token(value, type, receivedAt, expiresAt, scopes, fingerprint(value));
    }

    /** Whether the token may be reused: a lifetime of zero or less means "use once". */
    public boolean isCacheable() {
        return expiresAt.isAfter(receivedAt);
    }

    /** The first 8 bytes of the SHA-256 of the value, in hex: enough to correlate, useless to an attacker. */
    public static String fingerprint(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "Token[fingerprint=" + fingerprint + ", type=" + type + ", expiresAt=" + expiresAt + ", scopes=" + scopes + "]";
    }
}
