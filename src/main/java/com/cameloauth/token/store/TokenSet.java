package com.cameloauth.token.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a store keeps for one connection: the access token and, for grants that have one, the refresh token. There is
 * no field for a client secret, an authorization code or a PKCE verifier: those are never stored. {@code toString}
 * shows fingerprints, never a token.
 *
 * @param accessToken           the access token value
 * @param tokenType             the token type as the server wrote it (e.g. Bearer)
 * @param receivedAt            local time the token response arrived (expiry is computed from it, not the server clock)
 * @param expiresAt             when the access token stops being usable (receivedAt plus the clamped lifetime)
 * @param scopes                granted scopes (RFC 6749 5.1: the requested ones when the response had none)
 * @param refreshToken          the refresh token, if the grant returned one
 * @param refreshTokenExpiresAt when the refresh token expires, if the server said so (e.g. Keycloak's
 *                              {@code refresh_expires_in})
 */
public record TokenSet(String accessToken, String tokenType, Instant receivedAt, Instant expiresAt, List<String> scopes,
        Optional<String> refreshToken, Optional<Instant> refreshTokenExpiresAt) {

    public TokenSet {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(tokenType, "tokenType");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(refreshTokenExpiresAt, "refreshTokenExpiresAt");
    }

    /** A token set without a refresh token (client credentials, jwt-bearer, token exchange). */
    public static TokenSet withoutRefreshToken(String accessToken, String tokenType, Instant receivedAt,
            Instant expiresAt, List<String> scopes) {
        return new TokenSet(accessToken, tokenType, receivedAt, expiresAt, scopes, Optional.empty(), Optional.empty());
    }

    /** This set with the refresh token dropped (after {@code invalid_grant}, or when the server stops rotating). */
    public TokenSet withoutRefreshToken() {
        return new TokenSet(accessToken, tokenType, receivedAt, expiresAt, scopes, Optional.empty(), Optional.empty());
    }

    /** Whether the access token may still be used at {@code now}. */
    public boolean isAccessTokenValidAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** Whether there is a refresh token that has not passed its known expiry at {@code now}. */
    public boolean hasUsableRefreshTokenAt(Instant now) {
        return refreshToken.isPresent() && refreshTokenExpiresAt.map(now::isBefore).orElse(true);
    }

    public String accessTokenFingerprint() {
        return fingerprint(accessToken);
    }

    public Optional<String> refreshTokenFingerprint() {
        return refreshToken.map(TokenSet::fingerprint);
    }

    /**
     * The first 8 bytes of the SHA-256 of a token, in hex: the same fingerprint as {@code Token.fingerprint}, so logs
     * and events correlate, without this package depending on the engine.
     */
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
        return "TokenSet[access=" + accessTokenFingerprint() + ", type=" + tokenType + ", expiresAt=" + expiresAt
                + ", scopes=" + scopes + ", refresh=" + refreshTokenFingerprint().orElse("none")
                + refreshTokenExpiresAt.map(t -> ", refreshExpiresAt=" + t).orElse("") + "]";
    }
}
