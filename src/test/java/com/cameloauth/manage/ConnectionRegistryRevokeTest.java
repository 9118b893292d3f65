package com.cameloauth.manage;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.observe.RecentEvents;
import com.cameloauth.token.OAuthConnections;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/** Revoke in the management API revokes at the server when the connection has a revocation endpoint, and says so. */
class ConnectionRegistryRevokeTest {
    private static final String TOKEN = "tok-revoke-me-0123456789";

    private WireMockServer server;
    private OAuthConnections connections;
    private ConnectionRegistry registry;

    @BeforeEach
    void start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        String base = "http://127.0.0.1:" + server.port();
        connections = OAuthConnections.builder(ConnectionDefinitions.fromProperties(Map.ofEntries(
                Map.entry("oauth.connections.orders.policy", "client-credentials"),
                Map.entry("oauth.connections.orders.base-url", base + "/api"),
                Map.entry("oauth.connections.orders.token-url", base + "/token"),
                Map.entry("oauth.connections.orders.revocation-url", base + "/revoke"),
                Map.entry("oauth.connections.orders.client-id", "orders-client"),
                Map.entry("oauth.connections.orders.client-secret", "s3cr3t"),
                Map.entry("oauth.connections.orders.allow-insecure", "true"),
                Map.entry("oauth.connections.orders.max-attempts", "1")))).build();
        RecentEvents events = new RecentEvents(3);
        connections.addListener(events);
        registry = new ConnectionRegistry(connections, events, Clock.systemUTC());
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"" + TOKEN
                + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
    }

    @AfterEach
    void stop() {
        connections.close();
        server.stop();
    }

    @Test
    void revokeWhenRevocationEndpointKnownThenRevokedAtTheServerAndReported() {
        server.stubFor(post("/revoke").willReturn(aResponse().withStatus(200)));
        registry.refresh("orders");

        Map<String, Object> report = registry.revoke("orders").orElseThrow();

        assertEquals("REVOKED", report.get("result"));
        assertEquals(true, report.get("serverSideRevocation"));
        assertEquals(List.of("access_token"), report.get("revoked"));
        assertEquals("EXPIRED", report.get("state"));
        server.verify(1, postRequestedFor(urlPathEqualTo("/revoke")));
        assertFalse(report.toString().contains(TOKEN), report.toString());
    }

    @Test
    void revokeWhenServerFailsThenReportedWithErrorsAndTokenDroppedAnyway() {
        server.stubFor(post("/revoke").willReturn(aResponse().withStatus(503)));
        registry.refresh("orders");

        Map<String, Object> report = registry.revoke("orders").orElseThrow();

        assertEquals("REVOKED_WITH_ERRORS", report.get("result"));
        assertEquals(List.of(), report.get("revoked"));
        assertTrue(report.get("failures").toString().contains("HTTP 503"), report.toString());
        assertEquals("EXPIRED", registry.view("orders").orElseThrow().state());
        assertFalse(report.toString().contains(TOKEN), report.toString());
    }
}
