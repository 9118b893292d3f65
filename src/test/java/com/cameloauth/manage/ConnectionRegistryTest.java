package com.cameloauth.manage;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.observe.RecentEvents;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenEvent;

/** The registry behind the management API and the page, against a WireMock token endpoint. */
class ConnectionRegistryTest {
    private static final String SECRET = "s3cr3t-never-in-a-view";
    private static final String TOKEN = "tok-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789";

    private WireMockServer server;
    private OAuthConnections connections;
    private RecentEvents events;
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
                Map.entry("oauth.connections.orders.client-id", "orders-client"),
                Map.entry("oauth.connections.orders.client-secret", SECRET),
                Map.entry("oauth.connections.orders.scopes", "orders:read"),
                Map.entry("oauth.connections.orders.allow-insecure", "true"),
                Map.entry("oauth.connections.orders.max-attempts", "1"),
                Map.entry("oauth.connections.open.policy", "none"),
                Map.entry("oauth.connections.open.base-url", base + "/open"),
                Map.entry("oauth.connections.open.allow-insecure", "true")))).build();
        events = new RecentEvents(3);
        connections.addListener(events);
        registry = new ConnectionRegistry(connections, events, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        connections.close();
        server.stop();
    }

    private void tokenEndpointAnswers(int status, String body) {
        server.stubFor(post(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void viewBeforeAnyTokenIsIdleWithTheTokenEndpointHostOnly() {
        ConnectionView view = registry.view("orders").orElseThrow();
        assertEquals("IDLE", view.state());
        assertEquals("client-credentials", view.policy());
        assertEquals("127.0.0.1:" + server.port(), view.tokenEndpointHost());
        assertEquals(List.of("orders:read"), view.scopes());
        assertNull(view.tokenFingerprint());
        assertNull(view.consentUrl());
        assertEquals("STATIC", registry.view("open").orElseThrow().state());
        assertTrue(registry.view("nope").isEmpty());
    }

    @Test
    void testGetsATokenAndReportsItsFingerprintNeverTheToken() {
        tokenEndpointAnswers(200, "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        Map<String, Object> report = registry.test("orders").orElseThrow();
        assertEquals("OK", report.get("result"));
        assertEquals("ACTIVE", report.get("state"));
        ConnectionView view = registry.view("orders").orElseThrow();
        assertEquals(report.get("fingerprint"), view.tokenFingerprint());
        assertEquals(1L, view.counts().get("tokenRequestsOk"));
        server.verify(1, postRequestedFor(urlPathEqualTo("/token")));
        String everything = report + " " + view + " " + registry.events("orders").orElseThrow() + registry.timeline("orders").orElseThrow();
        assertFalse(everything.contains(TOKEN), everything);
        assertFalse(everything.contains(SECRET), everything);
    }

    @Test
    void revokeDropsTheTokenLocallyAndSaysSo() {
        tokenEndpointAnswers(200, "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        registry.refresh("orders");
        Map<String, Object> report = registry.revoke("orders").orElseThrow();
        assertEquals("REVOKED_LOCALLY", report.get("result"));
        assertEquals(false, report.get("serverSideRevocation"));
        assertEquals("EXPIRED", report.get("state"));
        assertEquals("EXPIRED", registry.view("orders").orElseThrow().state());
        assertEquals("NOTHING_TO_REVOKE", registry.revoke("open").orElseThrow().get("result"));
    }

    @Test
    void aRejectedClientShowsCodeStatusAndASafeMessage() {
        tokenEndpointAnswers(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}");
        Map<String, Object> report = registry.test("orders").orElseThrow();
        assertEquals("FAILED", report.get("result"));
        assertEquals("invalid_client", report.get("errorCode"));
        ConnectionView view = registry.view("orders").orElseThrow();
        assertEquals("FAILED", view.state());
        assertEquals("invalid_client", view.lastError().code());
        assertEquals(401, view.lastError().httpStatus());
        assertEquals(1L, view.counts().get("tokenRequestsFailed"));
        assertFalse(view.toString().contains(SECRET));
    }

    @Test
    void recentEventsAreBoundedAndNewestFirstWhileCountsKeepEverything() {
        tokenEndpointAnswers(200, "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        for (int i = 0; i < 5; i++) {
            registry.refresh("orders");
        }
        List<EventView> recent = registry.events("orders").orElseThrow();
        assertEquals(3, recent.size());
        assertEquals("REFRESHED", recent.get(0).type());
        assertTrue(!recent.get(0).at().isBefore(recent.get(2).at()));
        assertEquals(5L, registry.view("orders").orElseThrow().counts().get("tokenRequestsOk"));
    }

    @Test
    void safeTextMasksUserInfoAndQueries() {
        assertEquals("token endpoint https://***@login.example.com/t?*** failed",
                SafeText.of("token endpoint https://user:pw@login.example.com/t?code=abc&key=k failed"));
        assertEquals(SafeText.MAX_LENGTH, SafeText.of("x".repeat(1000)).length());
        assertEquals("a b", SafeText.of("a\nb"));
    }

    @Test
    void timelineEscapesDetailsAndLeavesOutOldEvents() {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        String svg = EventTimeline.render(List.of(
                new TokenEvent(TokenEvent.Type.FAILED, "orders", now.minusSeconds(60), null, "<script>x</script>"),
                new TokenEvent(TokenEvent.Type.ACQUIRED, "orders", now.minus(Duration.ofHours(2)), "abcd", "old")),
                now, Duration.ofHours(1));
        assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>"));
        assertTrue(svg.contains("FAILED at 11:59:00 UTC: &lt;script&gt;x&lt;/script&gt;"), svg);
        assertFalse(svg.contains("<script>"));
        assertFalse(svg.contains("old"));
        assertTrue(svg.contains("1 token event(s) in the last 60 minutes"));
    }
}
