package com.cameloauth.token.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientSecretJwtAuthenticatorTest {
    private static final String SECRET = "a-client-secret-of-more-than-32-bytes-length";
    private static final URI TOKEN_URL = URI.create("https://idp.example/token");

    private final TestClock clock = new TestClock("2026-11-25T10:00:00Z");

    @Test
    void forRequestThenHs256AssertionVerifiesWithTheSecretAndCarriesTheClaims() throws Exception {
        var auth = new ClientSecretJwtAuthenticator("orders", "orders-client", SECRET, null, null, null, clock);

        SignedJWT jwt = PrivateKeyJwtAuthenticatorTest.assertion(auth.forRequest(TOKEN_URL));

        assertTrue(auth.forRequest(TOKEN_URL) instanceof ClientSecretJWT);
        assertEquals(JWSAlgorithm.HS256, jwt.getHeader().getAlgorithm());
        assertTrue(jwt.verify(new MACVerifier(SECRET)));
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals("orders-client", claims.getIssuer());
        assertEquals("orders-client", claims.getSubject());
        assertEquals(List.of(TOKEN_URL.toString()), claims.getAudience());
        assertEquals(60, Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant())
                .getSeconds());
    }

    @Test
    void forRequestTwiceThenDifferentJti() throws Exception {
        var auth = new ClientSecretJwtAuthenticator("orders", "c", SECRET, JWSAlgorithm.HS256, null, null, clock);

        String first = PrivateKeyJwtAuthenticatorTest.assertion(auth.forRequest(TOKEN_URL)).getJWTClaimsSet().getJWTID();
        String second = PrivateKeyJwtAuthenticatorTest.assertion(auth.forRequest(TOKEN_URL)).getJWTClaimsSet().getJWTID();

        assertNotEquals(first, second);
    }

    @Test
    void forRequestThenTheTokenEndpointReceivesTheAssertion() throws Exception {
        var auth = new ClientSecretJwtAuthenticator("orders", "c", SECRET, null, "https://idp.example", null, clock);
        try (TokenEndpointStub endpoint = new TokenEndpointStub()) {
            ClientSecretJWT sent = (ClientSecretJWT) auth.forRequest(endpoint.tokenUrl());

            Map<String, List<String>> form = endpoint.send(sent, new ClientCredentialsGrant());

            assertEquals(List.of(ClientSecretJWT.CLIENT_ASSERTION_TYPE), form.get("client_assertion_type"));
            SignedJWT received = SignedJWT.parse(form.get("client_assertion").get(0));
            assertTrue(received.verify(new MACVerifier(SECRET)));
            assertEquals(List.of("https://idp.example"), received.getJWTClaimsSet().getAudience());
            assertFalse(form.containsKey("client_secret"), "the secret itself is never sent");
        }
    }

    @Test
    void constructorWhenSecretShorterThan32BytesThenRefusedWithoutEchoingIt() {
        String shortSecret = "only-twenty-bytes-xx";

        Refusal.of(() -> new ClientSecretJwtAuthenticator("orders", "c", shortSecret, JWSAlgorithm.HS256, null, null,
                clock)).says("'orders'", "32 bytes", "HS256").neverSays(shortSecret);
    }

    @Test
    void constructorWhenHs512AndA32ByteSecretThenRefused() {
        Refusal.of(() -> new ClientSecretJwtAuthenticator("orders", "c", SECRET, JWSAlgorithm.HS512, null, null,
                clock)).says("64 bytes").neverSays(SECRET);
    }

    @Test
    void constructorWhenAsymmetricAlgorithmThenRefused() {
        Refusal.of(() -> new ClientSecretJwtAuthenticator("orders", "c", SECRET, JWSAlgorithm.RS256, null, null,
                clock)).says("HS256", "private_key_jwt");
    }

    @Test
    void toStringMasksTheSecret() {
        var auth = new ClientSecretJwtAuthenticator("orders", "c", SECRET, null, null, null, clock);

        assertFalse(auth.toString().contains(SECRET), auth.toString());
        assertTrue(auth.toString().contains("secret=***"), auth.toString());
    }
}
