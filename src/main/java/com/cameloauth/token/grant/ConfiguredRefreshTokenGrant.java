package com.cameloauth.token.grant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.cameloauth.connection.Secret;
import com.cameloauth.token.OAuthTokenException;
import com.cameloauth.token.store.TokenSet;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.GrantType;

/**
 * The base grant of policy {@code refresh-token}: the configured refresh token is seeded into the store and spent by
 * the {@link RefreshTokenGrant} in front (rotations are stored). Once no usable refresh token is left (the server
 * answered {@code invalid_grant}, or it expired) there is nothing the engine can send: this grant refuses, without a
 * request, with a message that says to replace the configured refresh token.
 * <p>
 * The store entry is bound to the configured token through {@link #storeBinding()} (a hash, never the token): a
 * rotated refresh token from an earlier run wins while the configuration is unchanged, and a newly configured refresh
 * token (the provider handed out another one) starts a fresh entry instead of being ignored.
 */
public final class ConfiguredRefreshTokenGrant implements TokenGrant {
    private final Secret configured;

    public ConfiguredRefreshTokenGrant(Secret configured) {
        this.configured = Objects.requireNonNull(configured, "configured");
    }

    @Override
    public AuthorizationGrant next(GrantContext context) {
        throw new OAuthTokenException(context.connection().name(), "the configured refresh token was refused by the"
                + " token endpoint (or has expired): replace oauth.connections." + context.connection().name()
                + ".refresh-token in configuration and restart", 0, "invalid_grant", false, null);
    }

    /**
     * A value for the store key that changes when the configured refresh token changes: hex SHA-256 of the token with
     * a domain prefix. Safe to hash into a key name; the token itself stays only in the (encrypted) store.
     */
    public String storeBinding() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("camel-oauth-configured-refresh-token-v1:".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(configured.reveal().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The entry to store when there is none yet: the configured refresh token with an expired access token. */
    public TokenSet seed() {
        return new TokenSet("", "Bearer", Instant.EPOCH, Instant.EPOCH, List.of(), Optional.of(configured.reveal()),
                Optional.empty());
    }

    @Override
    public String name() {
        return GrantType.REFRESH_TOKEN.getValue();
    }

    @Override
    public String toString() {
        return "ConfiguredRefreshTokenGrant[refresh=" + TokenSet.fingerprint(configured.reveal()) + "]";
    }
}
