package com.cameloauth.token.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtBearerAssertionTest {
    private static final KeyPair RSA = TestKeys.rsa(2048);
    private static final URI TOKEN_URL = URI.create("https://idp.example/token");

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock("2026-11-25T10:00:00Z");

    @Test
    void forRequestThenSignedAssertionWithSubIssAudAndExtraClaims() throws Exception {
        SigningKey key = key();
        var assertion = new JwtBearerAssertion("reports", key, "service-account", "alice@example.com", null,
                Map.of("scope", "reports.read"), Duration.ofSeconds(120), clock);

        JWTBearerGrant grant = assertion.forRequest(TOKEN_URL);

        SignedJWT jwt = (SignedJWT) grant.getJWTAssertion();
        assertTrue(jwt.verify(new RSASSAVerifier((RSAPublicKey) RSA.getPublic())));
        assertEquals(key.keyId(), jwt.getHeader().getKeyID());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals("service-account", claims.getIssuer());
        assertEquals("alice@example.com", claims.getSubject());
        assertEquals(List.of(TOKEN_URL.toString()), claims.getAudience());
        assertEquals("reports.read", claims.getStringClaim("scope"));
        assertEquals(120, Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant())
                .getSeconds());
    }

    @Test
    void forRequestTwiceThenFreshJti() throws Exception {
        var assertion = new JwtBearerAssertion("reports", key(), "iss", "sub", "https://aud", null, null, clock);

        JWTClaimsSet first = ((SignedJWT) assertion.forRequest(TOKEN_URL).getJWTAssertion()).getJWTClaimsSet();
        clock.advance(Duration.ofSeconds(1));
        JWTClaimsSet second = ((SignedJWT) assertion.forRequest(TOKEN_URL).getJWTAssertion()).getJWTClaimsSet();

        assertNotEquals(first.getJWTID(), second.getJWTID());
        assertEquals(List.of("https://aud"), second.getAudience());
        assertEquals(first.getIssueTime().getTime() + 1000, second.getIssueTime().getTime());
    }

    @Test
    void forRequestThenTheTokenEndpointReceivesTheGrantAndAssertion() throws Exception {
        var assertion = new JwtBearerAssertion("reports", key(), "iss", "sub", null, null, null, clock);
        try (TokenEndpointStub endpoint = new TokenEndpointStub()) {
            JWTBearerGrant grant = assertion.forRequest(endpoint.tokenUrl());

            Map<String, List<String>> form = endpoint.send(null, grant);

            assertEquals(List.of("urn:ietf:params:oauth:grant-type:jwt-bearer"), form.get("grant_type"));
            assertEquals(List.of(grant.getAssertion()), form.get("assertion"));
        }
    }

    @Test
    void constructorWhenExtraClaimOverridesARegisteredOneThenRefused() {
        SigningKey key = key();

        Refusal.of(() -> new JwtBearerAssertion("reports", key, "iss", "sub", null, Map.of("exp", 1), null, clock))
                .says("'reports'", "assertion-claims.exp");
    }

    @Test
    void constructorWhenSubjectMissingThenRefused() {
        SigningKey key = key();

        Refusal.of(() -> new JwtBearerAssertion("reports", key, "iss", " ", null, null, null, clock))
                .says("subject");
    }

    @Test
    void toStringMasksTheKey() {
        String text = new JwtBearerAssertion("reports", key(), "iss", "sub", null, null, null, clock).toString();

        assertTrue(text.contains("key=***"), text);
        SigningKeysTest.assertNoKeyMaterial(text, RSA);
    }

    private SigningKey key() {
        Path file = TestKeys.write(dir, "bearer.pem", TestKeys.pkcs1Pem(RSA));
        return SigningKeys.load("reports", file, null, null, null, JWSAlgorithm.RS256);
    }
}
