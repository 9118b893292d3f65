package com.cameloauth.token.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code private_key_jwt} (OIDC core 9, RFC 7523 2.2): every token request gets a fresh assertion signed with the
 * client's private key; iss = sub = client id, aud = the token endpoint URL (or the configured audience, e.g. the
 * issuer), a random jti, iat = now, exp = now + lifetime, and the key id in the {@code kid} header.
 */
public final class PrivateKeyJwtAuthenticator {
    private final String connection;
    private final ClientID clientId;
    private final SigningKey key;
    private final String audience;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * @param audience the {@code aud} claim; null means the token endpoint URL of each request
     * @param lifetime null means 60 s
     */
    public PrivateKeyJwtAuthenticator(String connection, String clientId, SigningKey key, String audience,
            Duration lifetime, Clock clock) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.clientId = new ClientID(Objects.requireNonNull(clientId, "clientId"));
        this.key = Objects.requireNonNull(key, "key");
        this.audience = audience == null || audience.isBlank() ? null : audience;
        this.lifetime = AssertionWindow.checkedLifetime(connection, lifetime);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new signed assertion for one request to {@code tokenUrl}; never reuse it (its jti is single-use). */
    public ClientAuthentication forRequest(URI tokenUrl) {
        AssertionWindow window = AssertionWindow.startingNow(clock, lifetime);
        Audience aud = new Audience(audience != null ? audience : tokenUrl.toString());
        JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(clientId, List.of(aud),
                window.expiresAt(), null, window.issuedAt(), new JWTID());
        try {
            return new PrivateKeyJWT(claims, key.algorithm(), key.privateKey(), key.keyId(), null);
        } catch (JOSEException e) {
            throw new AssertionKeyException(connection, "the client assertion cannot be signed with " + key.algorithm()
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "PrivateKeyJwtAuthenticator[connection=" + connection + ", clientId=" + clientId + ", alg="
                + key.algorithm() + ", kid=" + key.keyId() + ", lifetime=" + lifetime + ", key=***]";
    }
}
