package com.cameloauth.token.jwt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.cameloauth.connection.ConnectionConfigurationException;
import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.token.InvalidClientException;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenManager;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/**
 * The JWT keys from configuration to the wire: a connection configured with {@code client_secret_jwt},
 * {@code private_key_jwt} or policy {@code jwt-bearer} sends assertions the server can verify, a fresh one per token
 * request; a rotated secret is picked up after {@code invalid_client}.
 */
class JwtConnectionsTest {
    private static final String NAME = "orders";
    private static final String CLIENT_ID = "orders-client";
    private static final String SECRET = "a-client-secret-of-at-least-32-bytes-Qx7V";
    private static final String ROTATED = "the-rotated-client-secret-also-32-bytes-Zk9";
    private static final KeyPair RSA = TestKeys.rsa(2048);
    private static final KeyPair EC = TestKeys.ec("secp256r1");

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path dir;

    private OAuthConnections engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private String tokenUrl() {
        return "http://127.0.0.1:" + server.getPort() + "/token";
    }

    private MutableConfigSource connection(String policy) {
        return new MutableConfigSource().put(key("policy"), policy).put(key("base-url"), "http://127.0.0.1:1/api")
                .put(key("token-url"), tokenUrl()).put(key("client-id"), CLIENT_ID).put(key("allow-insecure"), "true");
    }

    private static String key(String key) {
        return "oauth.connections." + NAME + "." + key;
    }

    private TokenManager start(MutableConfigSource config) {
        Map<String, ConnectionDefinition> definitions = ConnectionDefinitions.load(List.of(config));
        engine = OAuthConnections.builder(definitions).reread(ConnectionDefinitions.rereading(() -> List.of(config)))
                .build();
        return engine.tokenManager(NAME).orElseThrow();
    }

    private static void tokenEndpointAnswers(int status, String body) {
        server.stubFor(post(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    private static void tokenEndpointAcceptsOnly(String secret) {
        tokenEndpointAnswers(401, "{\"error\":\"invalid_client\"}");
        server.stubFor(post(urlPathEqualTo("/token")).withRequestBody(containing("client_secret=" + secret))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"at-ok\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
    }

    private static List<Map<String, List<String>>> forms() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/token"))).stream().map(LoggedRequest::getBodyAsString)
                .map(URLUtils::parseParameters).toList();
    }

    private static SignedJWT jwt(Map<String, List<String>> form, String parameter) throws Exception {
        return SignedJWT.parse(form.get(parameter).get(0));
    }

    @Test
    void privateKeyJwtWhenConfiguredWithAPemFileThenEveryTokenRequestCarriesAFreshSignedAssertion() throws Exception {
        tokenEndpointAnswers(200, "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        Path pem = TestKeys.write(dir, "client.pem", TestKeys.pkcs8Pem(RSA));
        TokenManager manager = start(connection("client-credentials").put(key("client-auth"), "private_key_jwt")
                .put(key("client-assertion-key"), pem.toString()).put(key("client-assertion-key-id"), "orders-key-1"));

        manager.currentToken();
        manager.refresh();

        List<Map<String, List<String>>> forms = forms();
        assertEquals(2, forms.size());
        SignedJWT first = jwt(forms.get(0), "client_assertion");
        SignedJWT second = jwt(forms.get(1), "client_assertion");
        for (var form : forms) {
            assertEquals(List.of("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                    form.get("client_assertion_type"));
            assertNull(form.get("client_secret"));
            assertEquals(List.of("client_credentials"), form.get("grant_type"));
        }
        assertTrue(first.verify(new RSASSAVerifier((RSAPublicKey) RSA.getPublic())));
        assertEquals("RS256", first.getHeader().getAlgorithm().getName());
        assertEquals("orders-key-1", first.getHeader().getKeyID());
        JWTClaimsSet claims = first.getJWTClaimsSet();
        assertEquals(CLIENT_ID, claims.getIssuer());
        assertEquals(CLIENT_ID, claims.getSubject());
        assertEquals(List.of(tokenUrl()), claims.getAudience());
        assertEquals(60, Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant())
                .toSeconds());
        assertNotEquals(claims.getJWTID(), second.getJWTClaimsSet().getJWTID(), "a fresh jti per request");
    }

    @Test
    void clientSecretJwtWhenConfiguredThenTheAssertionIsMacedWithTheSecretWhichIsNeverSent() throws Exception {
        tokenEndpointAnswers(200, "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        TokenManager manager = start(connection("client-credentials").put(key("client-auth"), "client_secret_jwt")
                .put(key("client-secret"), SECRET).put(key("client-assertion-audience"), "https://idp.example/realm")
                .put(key("client-assertion-lifetime"), "30s"));

        manager.currentToken();

        Map<String, List<String>> form = forms().get(0);
        SignedJWT jwt = jwt(form, "client_assertion");
        assertTrue(jwt.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8))));
        assertEquals("HS256", jwt.getHeader().getAlgorithm().getName());
        assertEquals(List.of("https://idp.example/realm"), jwt.getJWTClaimsSet().getAudience());
        assertEquals(30, Duration.between(jwt.getJWTClaimsSet().getIssueTime().toInstant(),
                jwt.getJWTClaimsSet().getExpirationTime().toInstant()).toSeconds());
        assertFalse(server.findAll(postRequestedFor(urlPathEqualTo("/token"))).get(0).getBodyAsString().contains(SECRET));
        assertNull(server.findAll(postRequestedFor(urlPathEqualTo("/token"))).get(0).getHeader("Authorization"));
    }

    @Test
    void jwtBearerWhenConfiguredThenTheGrantCarriesASignedAssertionWithTheConfiguredClaims() throws Exception {
        tokenEndpointAnswers(200, "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        ECKey jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) EC.getPublic())
                .privateKey((java.security.interfaces.ECPrivateKey) EC.getPrivate()).keyID("assertion-key-1").build();
        Path file = TestKeys.write(dir, "assertion.jwk", jwk.toJSONString());
        TokenManager manager = start(connection("jwt-bearer").put(key("client-secret"), SECRET)
                .put(key("client-auth"), "client_secret_post")
                .put(key("assertion-key"), file.toString()).put(key("assertion-algorithm"), "ES256")
                .put(key("subject"), "alice").put(key("assertion-issuer"), "https://issuer.example")
                .put(key("assertion-claims"), "scope=orders:read, tenant=eu"));

        manager.currentToken();
        manager.refresh();

        List<Map<String, List<String>>> forms = forms();
        assertEquals(List.of("urn:ietf:params:oauth:grant-type:jwt-bearer"), forms.get(0).get("grant_type"));
        SignedJWT jwt = jwt(forms.get(0), "assertion");
        assertTrue(jwt.verify(new ECDSAVerifier((ECPublicKey) EC.getPublic())));
        assertEquals("assertion-key-1", jwt.getHeader().getKeyID());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals("alice", claims.getSubject());
        assertEquals("https://issuer.example", claims.getIssuer());
        assertEquals(List.of(tokenUrl()), claims.getAudience());
        assertEquals("orders:read", claims.getStringClaim("scope"));
        assertEquals("eu", claims.getStringClaim("tenant"));
        assertNotEquals(claims.getJWTID(), jwt(forms.get(1), "assertion").getJWTClaimsSet().getJWTID());
        assertEquals(List.of(SECRET), forms.get(0).get("client_secret"), "the client authenticates as configured");
    }

    @Test
    void invalidClientWhenTheSecretWasRotatedInConfigurationThenRetriesOnceWithTheNewSecret() {
        tokenEndpointAcceptsOnly(ROTATED);
        MutableConfigSource config = connection("client-credentials").put(key("client-auth"), "client_secret_post")
                .put(key("client-secret"), SECRET);
        TokenManager manager = start(config);
        config.put(key("client-secret"), ROTATED); // the vault's secret changed after start-up

        assertEquals("at-ok", manager.currentToken().value());

        List<Map<String, List<String>>> forms = forms();
        assertEquals(2, forms.size(), "the refused request and exactly one retry");
        assertEquals(List.of(SECRET), forms.get(0).get("client_secret"));
        assertEquals(List.of(ROTATED), forms.get(1).get("client_secret"));
    }

    @Test
    void invalidClientWhenTheSecretIsUnchangedThenNoRetry() {
        tokenEndpointAcceptsOnly(ROTATED);
        TokenManager manager = start(connection("client-credentials").put(key("client-auth"), "client_secret_post")
                .put(key("client-secret"), SECRET));

        InvalidClientException e = assertThrows(InvalidClientException.class, manager::currentToken);

        assertEquals(1, forms().size(), "no second request with the same secret");
        assertFalse(e.getMessage().contains(SECRET));
    }

    @Test
    void invalidClientWhenTheServerEchoesTheRotatedSecretThenTheMessageNeverShowsIt() {
        tokenEndpointAnswers(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret " + ROTATED
                + "\"}");
        MutableConfigSource config = connection("client-credentials").put(key("client-auth"), "client_secret_post")
                .put(key("client-secret"), SECRET);
        TokenManager manager = start(config);
        config.put(key("client-secret"), ROTATED);

        InvalidClientException e = assertThrows(InvalidClientException.class, manager::currentToken);

        assertEquals(2, forms().size());
        assertFalse(e.getMessage().contains(ROTATED), e.getMessage());
    }

    @Test
    void invalidClientWhenTheKeyFileWasReplacedThenRetriesOnceSignedWithTheNewKey() throws Exception {
        KeyPair next = TestKeys.rsa(2048);
        tokenEndpointAnswers(401, "{\"error\":\"invalid_client\"}");
        Path pem = TestKeys.write(dir, "client.pem", TestKeys.pkcs8Pem(RSA));
        TokenManager manager = start(connection("client-credentials").put(key("client-auth"), "private_key_jwt")
                .put(key("client-assertion-key"), pem.toString()));
        TestKeys.write(dir, "client.pem", TestKeys.pkcs8Pem(next)); // the mounted secret was rotated

        assertThrows(InvalidClientException.class, manager::currentToken);

        List<Map<String, List<String>>> forms = forms();
        assertEquals(2, forms.size(), "one retry after the key changed, no more");
        assertTrue(jwt(forms.get(0), "client_assertion").verify(new RSASSAVerifier((RSAPublicKey) RSA.getPublic())));
        assertTrue(jwt(forms.get(1), "client_assertion").verify(new RSASSAVerifier((RSAPublicKey) next.getPublic())));
    }

    @Test
    void startWhenTheKeyFileIsMissingThenOneLineNamesConnectionKeyAndFile() {
        Path missing = dir.resolve("nope.pem");
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> ConnectionDefinitions.load(List.of(connection("client-credentials")
                        .put(key("client-auth"), "private_key_jwt").put(key("client-assertion-key"), missing.toString()))));

        assertTrue(e.getMessage().contains("connection 'orders': key 'client-assertion-key': file '" + missing
                + "' does not exist"), e.getMessage());
    }

    @Test
    void startWhenThePkcs12PasswordIsWrongThenTheErrorNamesTheFileAndNeverThePassword() {
        Path p12 = TestKeys.pkcs12(dir, "client.p12", "right-password-123", "RSA", "orders");
        MutableConfigSource config = connection("client-credentials").put(key("client-auth"), "private_key_jwt")
                .put(key("client-assertion-key"), p12.toString())
                .put(key("client-assertion-key-password"), "wrong-password-456");
        Map<String, ConnectionDefinition> definitions = ConnectionDefinitions.load(List.of(config));

        AssertionKeyException e = assertThrows(AssertionKeyException.class,
                () -> OAuthConnections.builder(definitions).build());

        assertTrue(e.getMessage().contains("orders") && e.getMessage().contains(p12.toString())
                && e.getMessage().contains("client-assertion-key-password"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-password-456"));
    }

    @Test
    void startWhenClientSecretJwtHasAShortSecretOrPrivateKeyJwtHasASecretThenEachIsOneLine() {
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> ConnectionDefinitions.load(List.of(connection("client-credentials")
                        .put(key("client-auth"), "client_secret_jwt").put(key("client-secret"), "short-secret-9"))));
        assertTrue(e.getMessage().contains("key 'client-secret': is shorter than 32 bytes"), e.getMessage());
        assertFalse(e.getMessage().contains("short-secret-9"));

        ConnectionConfigurationException e2 = assertThrows(ConnectionConfigurationException.class,
                () -> ConnectionDefinitions.load(List.of(connection("client-credentials")
                        .put(key("client-auth"), "private_key_jwt").put(key("client-secret"), SECRET)
                        .put(key("client-assertion-algorithm"), "HS256"))));
        assertTrue(e2.getMessage().contains("key 'client-secret': is set, but client-auth=private_key_jwt"),
                e2.getMessage());
        assertTrue(e2.getMessage().contains("key 'client-assertion-algorithm': 'HS256' is not an algorithm for a"
                + " private key"), e2.getMessage());
        assertTrue(e2.getMessage().contains("key 'client-assertion-key': missing"), e2.getMessage());
    }

    @Test
    void startWhenJwtBearerLacksSubjectOrHasAReservedClaimThenOneLineEach() throws Exception {
        Path pem = TestKeys.write(dir, "a.pem", TestKeys.pkcs8Pem(RSA));
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> ConnectionDefinitions.load(List.of(connection("jwt-bearer").put(key("client-auth"), "none")
                        .put(key("assertion-key"), pem.toString()).put(key("assertion-claims"), "sub=mallory"))));

        assertTrue(e.getMessage().contains("key 'subject': missing"), e.getMessage());
        assertTrue(e.getMessage().contains("key 'assertion-claims': claim 'sub' is set by the connection itself"),
                e.getMessage());
    }

    @Test
    void jwtBearerWhenTheReadmeExampleRunsThenThePkcs12KeySignsWithPs256ForTheConfiguredSubject() throws Exception {
        tokenEndpointAnswers(200, "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        Path p12 = TestKeys.pkcs12(dir, "hr-assertion.p12", "hr-key-password-1", "RSA", "hr");
        Map<String, String> example = readmeBlock("policy=jwt-bearer");
        MutableConfigSource here = new MutableConfigSource().put("HR_CLIENT_SECRET", SECRET)
                .put("HR_KEY_PASSWORD", "hr-key-password-1").put("oauth.connections.hr.assertion-key", p12.toString())
                .put("oauth.connections.hr.token-url", tokenUrl()).put("oauth.connections.hr.allow-insecure", "true");
        engine = OAuthConnections.builder(ConnectionDefinitions.load(List.of(
                new io.smallrye.config.PropertiesConfigSource(example, "README", 200), here))).build();

        engine.tokenManager("hr").orElseThrow().currentToken();

        Map<String, List<String>> form = forms().get(0);
        assertEquals(List.of("urn:ietf:params:oauth:grant-type:jwt-bearer"), form.get("grant_type"));
        SignedJWT jwt = jwt(form, "assertion");
        assertEquals("PS256", jwt.getHeader().getAlgorithm().getName());
        assertTrue(jwt.verify(new RSASSAVerifier((RSAPublicKey) TestKeys.publicKeyIn(p12, "hr-key-password-1", "hr"))));
        assertEquals("integration-user@example.com", jwt.getJWTClaimsSet().getSubject());
        assertEquals("hr-integration", jwt.getJWTClaimsSet().getIssuer());
        assertEquals("hr:read", jwt.getJWTClaimsSet().getStringClaim("scope"));
    }

    @Test
    void rereadingWhenOverTheSourcesOfASmallRyeConfigThenTheRotatedSecretIsSeen() {
        MutableConfigSource config = connection("client-credentials").put(key("client-secret"), SECRET);
        org.eclipse.microprofile.config.Config smallRye = new io.smallrye.config.SmallRyeConfigBuilder()
                .addDefaultSources().withSources(config).withMapping(com.cameloauth.connection.OAuthConfig.class)
                .withValidateUnknown(false).build();
        var reread = ConnectionDefinitions.rereading(smallRye);
        config.put(key("client-secret"), ROTATED);

        var client = ((com.cameloauth.connection.policy.OAuthPolicy) reread.apply(NAME).orElseThrow().security()).client();

        assertEquals(ROTATED, client.clientSecret().orElseThrow().reveal());
    }

    /** The properties of the README's ```properties block that contains {@code marker}. */
    private static Map<String, String> readmeBlock(String marker) throws Exception {
        java.util.regex.Matcher blocks = java.util.regex.Pattern.compile("```properties\n(.*?)```",
                java.util.regex.Pattern.DOTALL).matcher(java.nio.file.Files.readString(Path.of("README.md")));
        while (blocks.find()) {
            if (blocks.group(1).contains(marker)) {
                Map<String, String> properties = new java.util.HashMap<>();
                blocks.group(1).lines().filter(l -> l.contains("=") && !l.startsWith("#")).forEach(l -> properties.put(
                        l.substring(0, l.indexOf('=')).trim(), l.substring(l.indexOf('=') + 1).trim()));
                return properties;
            }
        }
        throw new AssertionError("README.md has no properties block with " + marker);
    }
}
