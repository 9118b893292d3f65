package com.cameloauth.component;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.cameloauth.testsupport.ReadmeExamples;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/**
 * The README's policy examples (token-exchange, DPoP, custom), loaded from README.md as written, with the example
 * hosts pointed at a WireMock stub and {@code allow-insecure=true} for its http:// URLs, then called through a route.
 */
class ReadmePolicyExamplesTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private final Map<String, String> properties = new LinkedHashMap<>();
    private CamelContext camel;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private Exchange call(String uri) {
        camel = new DefaultCamelContext();
        Properties p = new Properties();
        p.putAll(properties);
        camel.getPropertiesComponent().setInitialProperties(p);
        camel.start();
        return camel.createProducerTemplate().request(uri, e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
    }

    private void insecure(String... connections) {
        for (String c : connections) {
            properties.put("oauth.connections." + c + ".allow-insecure", "true");
        }
    }

    @Test
    void tokenExchangeExampleExchangesTheSubjectConnectionsToken() {
        properties.putAll(ReadmeExamples.block("## Token exchange (RFC 8693)", "partner.subject-connection=", Map.of(
                "https://keycloak.example.com", base(), "https://partner.example.com", base(),
                "${PARTNER_CLIENT_SECRET}", "partner-secret")));
        // what the block's comment leaves to the reader: the subject's own client
        properties.put("oauth.connections.orders.base-url", base() + "/orders");
        properties.put("oauth.connections.orders.token-url", base() + "/realms/shop/protocol/openid-connect/token");
        properties.put("oauth.connections.orders.client-id", "orders");
        properties.put("oauth.connections.orders.client-secret", "orders-secret");
        insecure("orders", "partner");
        String tokenPath = "/realms/shop/protocol/openid-connect/token";
        server.stubFor(post(tokenPath).withRequestBody(containing("grant_type=client_credentials"))
                .willReturn(okJson("{\"access_token\":\"orders-tok\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        server.stubFor(post(tokenPath).withRequestBody(containing("token-exchange"))
                .willReturn(okJson("{\"access_token\":\"partner-tok\",\"token_type\":\"Bearer\",\"expires_in\":300,"
                        + "\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\"}")));
        server.stubFor(get("/api/items").willReturn(okJson("[]")));

        assertNull(call("oauth:partner/items").getException());

        server.verify(1, getRequestedFor(urlPathEqualTo("/api/items")).withHeader("Authorization",
                equalTo("Bearer partner-tok")));
        LoggedRequest exchange = server.findAll(postRequestedFor(urlPathEqualTo(tokenPath))
                .withRequestBody(containing("token-exchange"))).get(0);
        Map<String, List<String>> form = URLUtils.parseParameters(exchange.getBodyAsString());
        assertEquals(List.of("orders-tok"), form.get("subject_token"));
        assertEquals(List.of("partner-api"), form.get("audience"));
    }

    @Test
    void dpopExampleSendsProofsWithTheTokenRequestAndTheCall() throws Exception {
        properties.putAll(ReadmeExamples.block("## Mutual TLS and DPoP", "userinfo.dpop=true", Map.of(
                "https://keycloak.example.com", base(), "${DPOP_SERVICE_SECRET}", "dpop-secret")));
        insecure("userinfo");
        String path = "/realms/shop/protocol/openid-connect";
        server.stubFor(post(path + "/token").willReturn(okJson(
                "{\"access_token\":\"dpop-tok\",\"token_type\":\"DPoP\",\"expires_in\":300}")));
        server.stubFor(get(path + "/userinfo").willReturn(okJson("{\"sub\":\"dpop-service\"}")));

        assertNull(call("oauth:userinfo/userinfo").getException());

        LoggedRequest token = server.findAll(postRequestedFor(urlPathEqualTo(path + "/token"))).get(0);
        SignedJWT tokenProof = SignedJWT.parse(token.getHeader("DPoP"));
        assertEquals("dpop+jwt", tokenProof.getHeader().getType().toString());
        assertEquals("POST", tokenProof.getJWTClaimsSet().getStringClaim("htm"));
        assertTrue(URLUtils.parseParameters(token.getBodyAsString()).get("scope").contains("openid"));
        LoggedRequest api = server.findAll(getRequestedFor(urlPathEqualTo(path + "/userinfo"))).get(0);
        assertEquals("DPoP dpop-tok", api.getHeader("Authorization"));
        SignedJWT apiProof = SignedJWT.parse(api.getHeader("DPoP"));
        assertEquals("GET", apiProof.getJWTClaimsSet().getStringClaim("htm"));
        assertTrue(apiProof.getJWTClaimsSet().getStringClaim("ath") != null, "the API proof carries the token's hash");
    }

    @Test
    void customTwoLeggedExampleSendsTheBareSessionId() {
        properties.putAll(ReadmeExamples.block("## Custom token endpoints", "vault.token-request-url=", Map.of(
                "https://myvault.veevavault.com", base(), "${VAULT_USER}", "integration@example.com",
                "${VAULT_PASSWORD}", "vault-password")));
        insecure("vault");
        server.stubFor(post("/api/v24.1/auth").willReturn(okJson(
                "{\"responseStatus\":\"SUCCESS\",\"sessionId\":\"3B3C45FD240E26F0\"}")));
        server.stubFor(get("/api/v24.1/objects/documents").willReturn(okJson("{}")));

        assertNull(call("oauth:vault/objects/documents").getException());

        LoggedRequest auth = server.findAll(postRequestedFor(urlPathEqualTo("/api/v24.1/auth"))).get(0);
        assertEquals(Map.of("username", List.of("integration@example.com"), "password", List.of("vault-password")),
                URLUtils.parseParameters(auth.getBodyAsString()));
        server.verify(1, getRequestedFor(urlPathEqualTo("/api/v24.1/objects/documents")).withHeader("Authorization",
                equalTo("3B3C45FD240E26F0")));
    }

    /**
     * The oidc-client block outside Quarkus: its {@code oauth.connections.billing.*} lines as written, the tokens from a
     * stand-in for the {@code quarkus.oidc-client.billing} the same block configures (Quarkus itself: OidcClientConnectionIT).
     */
    @Test
    void oidcClientExampleCallsWithTheOidcClientsToken() throws Exception {
        Map<String, String> block = ReadmeExamples.block("## Quarkus OIDC client delegation", "oidc-client-name=",
                Map.of("https://billing.example.com", base()));
        String name = block.get("oauth.connections.billing.oidc-client-name");
        assertTrue(block.containsKey("quarkus.oidc-client." + name + ".auth-server-url"),
                "the block configures the OIDC client its connection names: " + block.keySet());
        block.forEach((k, v) -> {
            if (k.startsWith("oauth.")) {
                properties.put(k, v);
            }
        });
        insecure("billing");
        server.stubFor(get("/api/invoices").willReturn(okJson("[]")));
        List<java.util.Optional<String>> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.cameloauth.token.ExternalTokens oidcClient = refresh -> {
            asked.add(refresh);
            return new com.cameloauth.token.ExternalTokens.Issued("billing-tok",
                    java.util.Optional.of(java.time.Instant.now().plusSeconds(300)), java.util.Optional.empty());
        };
        try (com.cameloauth.token.OAuthConnections engine = com.cameloauth.token.OAuthConnections.builder(
                com.cameloauth.connection.ConnectionDefinitions.fromProperties(properties))
                .externalTokens("billing", oidcClient).build()) {
            camel = new DefaultCamelContext();
            camel.addComponent("oauth", new OAuthComponent(engine));
            camel.start();
            Exchange call = camel.createProducerTemplate().request("oauth:billing/invoices",
                    e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
            assertNull(call.getException());
            camel.stop();
        }
        server.verify(1, getRequestedFor(urlPathEqualTo("/api/invoices")).withHeader("Authorization",
                equalTo("Bearer billing-tok")));
        assertEquals(1, asked.size());
    }
}
