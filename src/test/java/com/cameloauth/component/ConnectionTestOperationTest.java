package com.cameloauth.component;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

/** {@code operation=test} gets a new token first and swaps it in only on success: a failed Test changes nothing. */
class ConnectionTestOperationTest {
    private WireMockServer server;
    private CamelContext camel;
    private ProducerTemplate template;

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        String base = "http://127.0.0.1:" + server.port();
        Properties p = new Properties();
        p.setProperty("oauth.connections.orders.policy", "client-credentials");
        p.setProperty("oauth.connections.orders.base-url", base + "/api");
        p.setProperty("oauth.connections.orders.token-url", base + "/token");
        p.setProperty("oauth.connections.orders.client-id", "orders-client");
        p.setProperty("oauth.connections.orders.client-secret", "s3cr3t");
        p.setProperty("oauth.connections.orders.allow-insecure", "true");
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(p);
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
        server.stop();
    }

    @Test
    void failedTestLeavesTheValidTokenAndTheStateAsTheyWere() {
        server.stubFor(post("/token").inScenario("t").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":300}"))
                .willSetStateTo("rejecting"));
        server.stubFor(post("/token").inScenario("t").whenScenarioStateIs("rejecting").willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_client\"}")));
        camel.start();
        assertEquals("tok-1", template.request("oauth:orders?operation=token", e -> { }).getMessage()
                .getHeader(OAuthConstants.ACCESS_TOKEN));

        Map<?, ?> report = template.requestBody("oauth:orders?operation=test", (Object) null, Map.class);

        assertEquals("FAILED", report.get("result"));
        assertEquals("invalid_client", report.get("errorCode"));
        assertEquals("ACTIVE", report.get("state"), "the connection is as it was");
        assertEquals("tok-1", template.request("oauth:orders?operation=token", e -> { }).getMessage()
                .getHeader(OAuthConstants.ACCESS_TOKEN), "callers are still served the valid token");
        assertEquals(2, server.countRequestsMatching(postRequestedFor(urlPathEqualTo("/token")).build()).getCount());
    }
}
