package com.cameloauth.token.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.auth.JWTAuthentication;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateKeyJwtAuthenticatorTest {
    private static final KeyPair RSA = TestKeys.rsa(2048);
    private static final KeyPair EC = TestKeys.ec("secp256r1");
    private static final URI TOKEN_URL = URI.create("https://idp.example/realms/demo/protocol/openid-connect/token");

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock("2026-11-25T10:00:00Z");

    @Test
    void forRequestWhenRs256ThenAssertionVerifiesWithThePublicKeyAndCarriesTheClaims() throws Exception {
        SigningKey key = load(RSA, JWSAlgorithm.RS256);
        var auth = new PrivateKeyJwtAuthenticator("orders", "orders-client", key, null, null, clock);

        SignedJWT jwt = assertion(auth.forRequest(TOKEN_URL));

        assertTrue(jwt.verify(new RSASSAVerifier((RSAPublicKey) RSA.getPublic())));
        assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
        assertEquals(key.keyId(), jwt.getHeader().getKeyID());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals("orders-client", claims.getIssuer());
        assertEquals("orders-client", claims.getSubject());
        assertEquals(List.of(TOKEN_URL.toString()), claims.getAudience());
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), claims.getIssueTime().toInstant());
        assertEquals(60, Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant())
                .getSeconds());
        assertTrue(claims.getJWTID().length() >= 22, "jti carries at least 128 random bits");
    }

    @Test
    void forRequestWhenPs256ThenVerifies() throws Exception {
        var auth = new PrivateKeyJwtAuthenticator("orders", "c", load(RSA, JWSAlgorithm.PS256), null, null, clock);

        SignedJWT jwt = assertion(auth.forRequest(TOKEN_URL));

        assertEquals(JWSAlgorithm.PS256, jwt.getHeader().getAlgorithm());
        assertTrue(jwt.verify(new RSASSAVerifier((RSAPublicKey) RSA.getPublic())));
    }

    @Test
    void forRequestWhenEs256ThenVerifiesWithTheEcPublicKey() throws Exception {
        SigningKey key = load(EC, JWSAlgorithm.ES256);
        var auth = new PrivateKeyJwtAuthenticator("orders", "c", key, null, Duration.ofSeconds(30), clock);

        SignedJWT jwt = assertion(auth.forRequest(TOKEN_URL));

        JWSVerifier verifier = new ECDSAVerifier((ECPublicKey) EC.getPublic());
        assertTrue(jwt.verify(verifier));
        assertEquals(key.keyId(), jwt.getHeader().getKeyID());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals(30, Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant())
                .getSeconds());
    }

    @Test
    void forRequestTwiceThenFreshJtiAndIatEachTime() throws Exception {
        var auth = new PrivateKeyJwtAuthenticator("orders", "c", load(RSA, JWSAlgorithm.RS256), null, null, clock);

        JWTClaimsSet first = assertion(auth.forRequest(TOKEN_URL)).getJWTClaimsSet();
        clock.advance(Duration.ofSeconds(5));
        JWTClaimsSet second = assertion(auth.forRequest(TOKEN_URL)).getJWTClaimsSet();

        assertNotEquals(first.getJWTID(), second.getJWTID());
        assertEquals(5, Duration.between(first.getIssueTime().toInstant(), second.getIssueTime().toInstant())
                .getSeconds());
    }

    @Test
    void forRequestWhenAudienceConfiguredThenItReplacesTheTokenUrl() throws Exception {
        var auth = new PrivateKeyJwtAuthenticator("orders", "c", load(RSA, JWSAlgorithm.RS256),
                "https://idp.example/realms/demo", null, clock);

        JWTClaimsSet claims = assertion(auth.forRequest(TOKEN_URL)).getJWTClaimsSet();

        assertEquals(List.of("https://idp.example/realms/demo"), claims.getAudience());
    }

    @Test
    void forRequestThenTheTokenEndpointReceivesTheAssertionInTheForm() throws Exception {
        var auth = new PrivateKeyJwtAuthenticator("orders", "orders-client", load(EC, JWSAlgorithm.ES256), null,
                null, clock);
        try (TokenEndpointStub endpoint = new TokenEndpointStub()) {
            JWTAuthentication sent = (JWTAuthentication) auth.forRequest(endpoint.tokenUrl());

            Map<String, List<String>> form = endpoint.send(sent, new ClientCredentialsGrant());

            assertEquals(List.of("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                    form.get("client_assertion_type"));
            assertEquals(List.of(sent.getClientAssertion().serialize()), form.get("client_assertion"));
            assertEquals(List.of("client_credentials"), form.get("grant_type"));
            SignedJWT received = SignedJWT.parse(form.get("client_assertion").get(0));
            assertTrue(received.verify(new ECDSAVerifier((ECPublicKey) EC.getPublic())));
            assertEquals(List.of(endpoint.tokenUrl().toString()), received.getJWTClaimsSet().getAudience());
        }
    }

    @Test
    void toStringMasksTheKey() {
        var auth = new PrivateKeyJwtAuthenticator("orders", "c", load(RSA, JWSAlgorithm.RS256), null, null, clock);

        String text = auth.toString();

        assertTrue(text.contains("RS256"), text);
        SigningKeysTest.assertNoKeyMaterial(text, RSA);
    }

    @Test
    void constructorWhenLifetimeOverTenMinutesThenRefused() {
        SigningKey key = load(RSA, JWSAlgorithm.RS256);

        Refusal.of(() -> new PrivateKeyJwtAuthenticator("orders", "c", key, null, Duration.ofHours(1), clock))
                .says("'orders'", "client-assertion-lifetime");
        assertFalse(key.toString().contains("MII"));
    }

    private SigningKey load(KeyPair pair, JWSAlgorithm alg) {
        Path file = TestKeys.write(dir, alg + ".pem", TestKeys.pkcs8Pem(pair));
        return SigningKeys.load("orders", file, null, null, null, alg);
    }

    static SignedJWT assertion(com.nimbusds.oauth2.sdk.auth.ClientAuthentication auth) {
        return ((JWTAuthentication) auth).getClientAssertion();
    }
}
