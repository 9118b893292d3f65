package com.cameloauth.token.dpop;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * DPoP (RFC 9449) against WireMock: every token request and API call carries a fresh proof signed with the
 * connection's key; the token goes as {@code DPoP <token>}, never Bearer; {@code use_dpop_nonce} from the token endpoint
 * or the API is retried exactly once with the nonce.
 */
class DpopTest {
    private WireMockServer server;
    private CamelContext camel;
    private ProducerTemplate template;
    private final Properties p = new Properties();
    private String base;

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        base = "http://127.0.0.1:" + server.port();
        p.setProperty("oauth.connections.orders.policy", "client-credentials");
        p.setProperty("oauth.connections.orders.base-url", base + "/api");
        p.setProperty("oauth.connections.orders.token-url", base + "/token");
        p.setProperty("oauth.connections.orders.client-id", "orders-client");
        p.setProperty("oauth.connections.orders.client-secret", "s3cr3t");
        p.setProperty("oauth.connections.orders.allow-insecure", "true");
        p.setProperty("oauth.connections.orders.max-attempts", "1");
        p.setProperty("oauth.connections.orders.dpop", "true");
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        server.stop();
    }

    private void startCamel() {
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(p);
        camel.start();
        template = camel.createProducerTemplate();
    }

    private String call(String path) {
        return call(path, null);
    }

    private String call(String path, String query) {
        java.util.Map<String, Object> headers = new java.util.HashMap<>();
        headers.put(Exchange.HTTP_METHOD, "GET");
        if (query != null) {
            headers.put(Exchange.HTTP_QUERY, query);
        }
        return template.requestBodyAndHeaders("oauth:orders/" + path, null, headers, String.class);
    }

    private void stubToken(String token) {
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"" + token + "\",\"token_type\":\"DPoP\","
                + "\"expires_in\":300}")));
    }

    private static String nonceError(String error) {
        return "{\"error\":\"" + error + "\",\"error_description\":\"Authorization server requires nonce in DPoP proof\"}";
    }

    /** The proof of a request: its signature checks with the jwk of its own header, typ dpop+jwt. */
    private static JWTClaimsSet proof(LoggedRequest request, String algorithm) throws Exception {
        String header = request.getHeader("DPoP");
        assertNotNull(header, "a DPoP proof on " + request.getUrl());
        SignedJWT jwt = SignedJWT.parse(header);
        assertEquals("dpop+jwt", jwt.getHeader().getType().toString());
        assertEquals(JWSAlgorithm.parse(algorithm), jwt.getHeader().getAlgorithm());
        assertFalse(jwt.getHeader().getJWK().isPrivate(), "only the public key travels");
        assertTrue(jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(),
                algorithm.startsWith("ES") ? jwt.getHeader().getJWK().toECKey().toPublicKey()
                        : jwt.getHeader().getJWK().toRSAKey().toPublicKey())));
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertNotNull(claims.getIssueTime());
        assertNotNull(claims.getJWTID());
        return claims;
    }

    private static String ath(String token) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void tokenAndApiNoncesAreEachRetriedOnceAndEveryProofIsFresh() throws Exception {
        server.stubFor(post("/token").inScenario("as").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withHeader("DPoP-Nonce", "as-nonce-1").withBody(nonceError("use_dpop_nonce")))
                .willSetStateTo("nonce given"));
        server.stubFor(post("/token").inScenario("as").whenScenarioStateIs("nonce given")
                .willReturn(okJson("{\"access_token\":\"dpop-tok-1\",\"token_type\":\"DPoP\",\"expires_in\":300}")));
        server.stubFor(get(urlPathEqualTo("/api/orders")).inScenario("rs").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(401).withHeader("DPoP-Nonce", "rs-nonce-1")
                        .withHeader("WWW-Authenticate", "DPoP error=\"use_dpop_nonce\", error_description=\"nonce\""))
                .willSetStateTo("nonce given"));
        server.stubFor(get(urlPathEqualTo("/api/orders")).inScenario("rs").whenScenarioStateIs("nonce given")
                .willReturn(okJson("[]")));
        startCamel();

        assertEquals("[]", call("orders", "page=2"));
        assertEquals("[]", call("orders"));

        List<LoggedRequest> tokenRequests = server.findAll(postRequestedFor(urlPathEqualTo("/token")));
        assertEquals(2, tokenRequests.size(), "one retry with the nonce, no more");
        List<LoggedRequest> apiCalls = server.findAll(getRequestedFor(urlPathEqualTo("/api/orders")));
        assertEquals(3, apiCalls.size(), "the first call retried once with the nonce; the second needed no retry");

        Set<String> jtis = new HashSet<>();
        List<JWTClaimsSet> tokenProofs = new ArrayList<>();
        for (LoggedRequest r : tokenRequests) {
            JWTClaimsSet claims = proof(r, "ES256");
            tokenProofs.add(claims);
            assertEquals("POST", claims.getStringClaim("htm"));
            assertEquals(base + "/token", claims.getStringClaim("htu"));
            assertNull(claims.getClaim("ath"), "no access token at the token endpoint");
            jtis.add(claims.getJWTID());
        }
        assertNull(tokenProofs.get(0).getClaim("nonce"));
        assertEquals("as-nonce-1", tokenProofs.get(1).getStringClaim("nonce"));
        String jwk = SignedJWT.parse(tokenRequests.get(0).getHeader("DPoP")).getHeader().getJWK().toJSONString();

        for (int i = 0; i < apiCalls.size(); i++) {
            LoggedRequest r = apiCalls.get(i);
            assertEquals("DPoP dpop-tok-1", r.getHeader("Authorization"), "never Bearer");
            JWTClaimsSet claims = proof(r, "ES256");
            assertEquals("GET", claims.getStringClaim("htm"));
            assertEquals(base + "/api/orders", claims.getStringClaim("htu"), "without the query");
            assertEquals(ath("dpop-tok-1"), claims.getStringClaim("ath"));
            assertEquals(i == 0 ? null : "rs-nonce-1", claims.getClaim("nonce"));
            assertEquals(jwk, SignedJWT.parse(r.getHeader("DPoP")).getHeader().getJWK().toJSONString(), "one key");
            jtis.add(claims.getJWTID());
        }
        assertEquals(5, jtis.size(), "a new jti for every request");
    }

    @Test
    void anApiThatKeepsAskingForANonceGetsOneRetryAndNoNewToken() {
        stubToken("dpop-tok-1");
        server.stubFor(get(urlPathEqualTo("/api/orders")).willReturn(aResponse().withStatus(401)
                .withHeader("DPoP-Nonce", "again").withHeader("WWW-Authenticate", "DPoP error=\"use_dpop_nonce\"")));
        startCamel();

        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> call("orders"));

        assertTrue(e.getCause().getMessage().contains("401"), e.getCause().getMessage());
        server.verify(2, getRequestedFor(urlPathEqualTo("/api/orders")));
        server.verify(1, postRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void aTokenEndpointThatKeepsAskingForANonceGetsOneRetry() {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withHeader("DPoP-Nonce", "again").withBody(nonceError("use_dpop_nonce"))));
        startCamel();

        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> call("orders"));

        assertTrue(e.getCause().getMessage().contains("use_dpop_nonce"), e.getCause().getMessage());
        server.verify(2, postRequestedFor(urlPathEqualTo("/token")));
        server.verify(0, getRequestedFor(urlPathEqualTo("/api/orders")));
    }

    @Test
    void aRejectedTokenIsReplacedAndTheReplayCarriesAFreshProofForTheNewToken() throws Exception {
        server.stubFor(post("/token").inScenario("as").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"access_token\":\"dpop-tok-1\",\"token_type\":\"DPoP\",\"expires_in\":300}"))
                .willSetStateTo("second"));
        server.stubFor(post("/token").inScenario("as").whenScenarioStateIs("second")
                .willReturn(okJson("{\"access_token\":\"dpop-tok-2\",\"token_type\":\"dpop\",\"expires_in\":300}")));
        server.stubFor(get(urlPathEqualTo("/api/orders")).inScenario("rs").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "DPoP error=\"invalid_token\""))
                .willSetStateTo("ok"));
        server.stubFor(get(urlPathEqualTo("/api/orders")).inScenario("rs").whenScenarioStateIs("ok")
                .willReturn(okJson("[]")));
        startCamel();

        assertEquals("[]", call("orders"));

        List<LoggedRequest> apiCalls = server.findAll(getRequestedFor(urlPathEqualTo("/api/orders")));
        assertEquals(List.of("DPoP dpop-tok-1", "DPoP dpop-tok-2"), apiCalls.stream().map(r -> r.getHeader("Authorization")).toList());
        assertEquals(ath("dpop-tok-1"), proof(apiCalls.get(0), "ES256").getStringClaim("ath"));
        assertEquals(ath("dpop-tok-2"), proof(apiCalls.get(1), "ES256").getStringClaim("ath"));
        assertFalse(proof(apiCalls.get(0), "ES256").getJWTID().equals(proof(apiCalls.get(1), "ES256").getJWTID()));
    }

    /** Two runs of the engine over one store, as a restart with the file or Redis store: the token each run used. */
    private List<String> tokensOfTwoRuns() {
        java.util.Map<String, String> props = new java.util.HashMap<>();
        p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
        var definitions = com.cameloauth.connection.ConnectionDefinitions.fromProperties(props);
        var store = new com.cameloauth.token.store.InMemoryTokenStore();
        List<String> used = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (var connections = com.cameloauth.token.OAuthConnections.builder(definitions).store(store).build()) {
                used.add(connections.authorizer("orders").authorize().headerValue());
            }
        }
        return used;
    }

    @Test
    void aRestartMakesANewKeyAndNeverUsesAStoredTokenBoundToTheOldOne() {
        server.stubFor(post("/token").inScenario("as").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"access_token\":\"dpop-tok-1\",\"token_type\":\"DPoP\",\"expires_in\":300}"))
                .willSetStateTo("second"));
        server.stubFor(post("/token").inScenario("as").whenScenarioStateIs("second")
                .willReturn(okJson("{\"access_token\":\"dpop-tok-2\",\"token_type\":\"DPoP\",\"expires_in\":300}")));

        assertEquals(List.of("DPoP dpop-tok-1", "DPoP dpop-tok-2"), tokensOfTwoRuns());

        List<LoggedRequest> requests = server.findAll(postRequestedFor(urlPathEqualTo("/token")));
        assertEquals(2, requests.size());
        assertFalse(requests.get(0).getHeader("DPoP").equals(requests.get(1).getHeader("DPoP")));
    }

    @Test
    void withoutDpopAStoredTokenIsUsedAfterARestart() {
        p.remove("oauth.connections.orders.dpop");
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\","
                + "\"expires_in\":300}")));

        assertEquals(List.of("Bearer tok-1", "Bearer tok-1"), tokensOfTwoRuns());
        server.verify(1, postRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void aServerThatIgnoresDpopGetsItsBearerTokenBackWithoutAProof() throws Exception {
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"plain-1\",\"token_type\":\"Bearer\","
                + "\"expires_in\":300}")));
        server.stubFor(get(urlPathEqualTo("/api/orders")).willReturn(okJson("[]")));
        startCamel();

        call("orders");

        proof(server.findAll(postRequestedFor(urlPathEqualTo("/token"))).get(0), "ES256");
        LoggedRequest api = server.findAll(getRequestedFor(urlPathEqualTo("/api/orders"))).get(0);
        assertEquals("Bearer plain-1", api.getHeader("Authorization"));
        assertNull(api.getHeader("DPoP"));
    }

    @Test
    void rs256ProofsWhenAsked() throws Exception {
        p.setProperty("oauth.connections.orders.dpop-algorithm", "RS256");
        stubToken("dpop-tok-1");
        server.stubFor(get(urlPathEqualTo("/api/orders")).willReturn(okJson("[]")));
        startCamel();

        call("orders");

        proof(server.findAll(postRequestedFor(urlPathEqualTo("/token"))).get(0), "RS256");
        proof(server.findAll(getRequestedFor(urlPathEqualTo("/api/orders"))).get(0), "RS256");
    }

    @Test
    void withoutDpopADpopTokenIsRefusedAndNoProofIsSent() {
        p.remove("oauth.connections.orders.dpop");
        stubToken("dpop-tok-1");
        startCamel();

        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> call("orders"));

        assertTrue(e.getCause().getMessage().contains("DPoP is not configured"), e.getCause().getMessage());
        assertNull(server.findAll(postRequestedFor(urlPathEqualTo("/token"))).get(0).getHeader("DPoP"));
    }

    @Test
    void dpopIsRefusedForAPolicyWithoutTokensAndWithACustomPrefix() {
        p.setProperty("oauth.connections.legacy.policy", "api-key");
        p.setProperty("oauth.connections.legacy.base-url", base + "/legacy");
        p.setProperty("oauth.connections.legacy.api-key", "k");
        p.setProperty("oauth.connections.legacy.allow-insecure", "true");
        p.setProperty("oauth.connections.legacy.dpop", "true");
        p.setProperty("oauth.connections.orders.header-prefix", "Token");
        p.setProperty("oauth.connections.orders.dpop-algorithm", "HS256");

        Exception e = assertThrows(Exception.class, () -> {
            startCamel();
            call("orders");
        });

        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        String message = all.toString();
        assertTrue(message.contains("connection 'legacy': key 'dpop': DPoP binds OAuth access tokens"), message);
        assertTrue(message.contains("connection 'orders': key 'header-prefix': must not be set with dpop=true"), message);
        assertTrue(message.contains("connection 'orders': key 'dpop-algorithm': 'HS256' is not supported"), message);
    }
}
