package com.cameloauth.token.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.assertions.jwt.JWTAssertionDetails;
import com.nimbusds.oauth2.sdk.assertions.jwt.JWTAssertionFactory;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.id.Subject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The assertion of the jwt-bearer grant (RFC 7523 2.1): a JWT signed with the configured key, with the configured
 * sub, iss and aud (default: the token endpoint URL), extra claims, and a fresh jti / iat / exp for every request.
 */
public final class JwtBearerAssertion {
    private static final Set<String> RESERVED = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti");

    private final String connection;
    private final SigningKey key;
    private final Issuer issuer;
    private final Subject subject;
    private final String audience;
    private final Map<String, Object> extraClaims;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * @param issuer the {@code iss} claim (usually the client id or the service account)
     * @param subject the {@code sub} claim: the principal the token is requested for
     * @param audience the {@code aud} claim; null means the token endpoint URL of each request
     * @param extraClaims further claims (e.g. {@code scope}); the registered ones above cannot be overridden
     * @param lifetime null means 60 s
     */
    public JwtBearerAssertion(String connection, SigningKey key, String issuer, String subject, String audience,
            Map<String, ?> extraClaims, Duration lifetime, Clock clock) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.key = Objects.requireNonNull(key, "key");
        if (issuer == null || issuer.isBlank() || subject == null || subject.isBlank()) {
            throw new AssertionKeyException(connection, "the jwt-bearer assertion needs assertion-issuer and subject");
        }
        this.issuer = new Issuer(issuer);
        this.subject = new Subject(subject);
        this.audience = audience == null || audience.isBlank() ? null : audience;
        Map<String, Object> extra = new TreeMap<>(extraClaims == null ? Map.of() : extraClaims);
        for (String name : extra.keySet()) {
            if (RESERVED.contains(name)) {
                throw new AssertionKeyException(connection, "assertion-claims." + name + " is set by the connection "
                        + "itself; use subject, assertion-issuer, assertion-audience or assertion-lifetime");
            }
        }
        this.extraClaims = Map.copyOf(extra);
        this.lifetime = AssertionWindow.checkedLifetime(connection, lifetime);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A grant carrying a newly signed assertion for one request to {@code tokenUrl}. */
    public JWTBearerGrant forRequest(URI tokenUrl) {
        AssertionWindow window = AssertionWindow.startingNow(clock, lifetime);
        Audience aud = new Audience(audience != null ? audience : tokenUrl.toString());
        JWTAssertionDetails details = new JWTAssertionDetails(issuer, subject, List.of(aud), window.expiresAt(),
                null, window.issuedAt(), new JWTID(), extraClaims.isEmpty() ? null : extraClaims);
        try {
            return new JWTBearerGrant(JWTAssertionFactory.create(details, key.algorithm(), key.privateKey(),
                    key.keyId(), null, null, null));
        } catch (JOSEException e) {
            throw new AssertionKeyException(connection, "the jwt-bearer assertion cannot be signed with "
                    + key.algorithm() + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "JwtBearerAssertion[connection=" + connection + ", iss=" + issuer + ", sub=" + subject + ", alg="
                + key.algorithm() + ", kid=" + key.keyId() + ", lifetime=" + lifetime + ", key=***]";
    }
}
