package com.cameloauth.component;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

class ConnectionHealthCheckTest {
    private static final String TOKEN = "tok-never-in-health";

    private WireMockServer server;
    private CamelContext camel;

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
        p.setProperty("oauth.connections.legacy.policy", "api-key");
        p.setProperty("oauth.connections.legacy.base-url", base + "/legacy");
        p.setProperty("oauth.connections.legacy.api-key", "key-123");
        p.setProperty("oauth.connections.legacy.allow-insecure", "true");
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(p);
        server.stubFor(get("/api/x").willReturn(okJson("{}")));
    }

    @AfterEach
    void stop() {
        camel.stop();
        server.stop();
    }

    private HealthCheck.Result check(String connection) {
        HealthCheck check = HealthCheckRegistry.get(camel).getCheck("oauth-connection-" + connection).orElseThrow();
        return check.call();
    }

    private void startWithComponentInUse() {
        camel.start();
        camel.getEndpoint("oauth:orders");
    }

    @Test
    void idleConnectionIsUpAndReadinessOnly() {
        startWithComponentInUse();
        HealthCheck.Result result = check("orders");
        assertEquals(HealthCheck.State.UP, result.getState());
        assertEquals("IDLE", result.getDetails().get("state"));
        assertEquals("client-credentials", result.getDetails().get("policy"));
        HealthCheck check = HealthCheckRegistry.get(camel).getCheck("oauth-connection-orders").orElseThrow();
        assertTrue(check.isReadiness());
        assertFalse(check.isLiveness());
    }

    @Test
    void activeConnectionIsUpAndShowsNoToken() {
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        startWithComponentInUse();
        camel.createProducerTemplate().requestBodyAndHeader("oauth:orders/x", null, Exchange.HTTP_METHOD, "GET");
        HealthCheck.Result result = check("orders");
        assertEquals(HealthCheck.State.UP, result.getState());
        assertEquals("ACTIVE", result.getDetails().get("state"));
        assertFalse(result.toString().contains(TOKEN) || result.getDetails().toString().contains(TOKEN));
    }

    @Test
    void rejectedClientIsDownWithTheReason() {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_client\"}")));
        startWithComponentInUse();
        assertThrows(CamelExecutionException.class, () -> camel.createProducerTemplate()
                .requestBodyAndHeader("oauth:orders/x", null, Exchange.HTTP_METHOD, "GET"));
        HealthCheck.Result result = check("orders");
        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertEquals("FAILED", result.getDetails().get("state"));
        assertTrue(result.getMessage().orElseThrow().contains("HTTP 401"), result.getMessage().orElse(""));
        assertFalse(result.getMessage().orElseThrow().contains("s3cr3t"));
        // the message is not shown by every health endpoint (MicroProfile Health shows only details)
        assertEquals(result.getMessage().orElseThrow(), result.getDetails().get("failure"));
    }

    @Test
    void staticCredentialConnectionIsAlwaysUp() {
        startWithComponentInUse();
        HealthCheck.Result result = check("legacy");
        assertEquals(HealthCheck.State.UP, result.getState());
        assertEquals("STATIC", result.getDetails().get("state"));
    }

    @Test
    void checksGoAwayWhenTheComponentStops() {
        startWithComponentInUse();
        assertTrue(HealthCheckRegistry.get(camel).getCheck("oauth-connection-orders").isPresent());
        camel.stop();
        assertTrue(HealthCheckRegistry.get(camel).getCheck("oauth-connection-orders").isEmpty());
    }
}
