package com.cameloauth.token.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.assertions.jwt.JWTAssertionFactory;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code client_secret_jwt} (OIDC core 9, RFC 7523 2.2): every token request gets a fresh assertion MACed with the
 * client secret (HS256/HS384/HS512); claims as for {@link PrivateKeyJwtAuthenticator}. A secret shorter than the
 * hash (32 bytes for HS256, RFC 7518 3.2) is refused when the authenticator is built.
 */
public final class ClientSecretJwtAuthenticator {
    private static final Map<JWSAlgorithm, Integer> MIN_SECRET_BYTES = Map.of(JWSAlgorithm.HS256, 32,
            JWSAlgorithm.HS384, 48, JWSAlgorithm.HS512, 64);

    private final String connection;
    private final ClientID clientId;
    private final Secret secret;
    private final JWSAlgorithm algorithm;
    private final String audience;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * @param algorithm HS256 (default when null), HS384 or HS512
     * @param audience the {@code aud} claim; null means the token endpoint URL of each request
     * @param lifetime null means 60 s
     */
    public ClientSecretJwtAuthenticator(String connection, String clientId, String clientSecret,
            JWSAlgorithm algorithm, String audience, Duration lifetime, Clock clock) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.clientId = new ClientID(Objects.requireNonNull(clientId, "clientId"));
        this.algorithm = algorithm == null ? JWSAlgorithm.HS256 : algorithm;
        Integer min = MIN_SECRET_BYTES.get(this.algorithm);
        if (min == null) {
            throw new AssertionKeyException(connection, "client_secret_jwt signs with HS256, HS384 or HS512, not "
                    + this.algorithm + " (RS256/PS256/ES256 are private_key_jwt)");
        }
        if (clientSecret == null || new Secret(clientSecret).getValueBytes().length < min) {
            throw new AssertionKeyException(connection, "the client secret is shorter than " + min + " bytes, too "
                    + "short to key " + this.algorithm + " (RFC 7518 3.2); use a longer secret or private_key_jwt");
        }
        this.secret = new Secret(clientSecret);
        this.audience = audience == null || audience.isBlank() ? null : audience;
        this.lifetime = AssertionWindow.checkedLifetime(connection, lifetime);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new MACed assertion for one request to {@code tokenUrl}; never reuse it (its jti is single-use). */
    public ClientAuthentication forRequest(URI tokenUrl) {
        AssertionWindow window = AssertionWindow.startingNow(clock, lifetime);
        Audience aud = new Audience(audience != null ? audience : tokenUrl.toString());
        JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(clientId, List.of(aud),
                window.expiresAt(), null, window.issuedAt(), new JWTID());
        try {
            return new ClientSecretJWT(JWTAssertionFactory.create(claims, algorithm, secret));
        } catch (JOSEException e) {
            throw new AssertionKeyException(connection, "the client assertion cannot be signed with " + algorithm
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "ClientSecretJwtAuthenticator[connection=" + connection + ", clientId=" + clientId + ", alg="
                + algorithm + ", lifetime=" + lifetime + ", secret=***]";
    }
}
