package com.cameloauth.observe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.OAuthTokenException;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenEvent;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class ObserveTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final String SECRET = "observe-secret-never-shown";

    private WireMockServer server;
    private OAuthConnections connections;
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        String base = "http://127.0.0.1:" + server.port();
        connections = OAuthConnections.builder(ConnectionDefinitions.fromProperties(Map.of(
                "oauth.connections.orders.policy", "client-credentials",
                "oauth.connections.orders.base-url", base + "/api",
                "oauth.connections.orders.token-url", base + "/token",
                "oauth.connections.orders.client-id", "orders",
                "oauth.connections.orders.client-secret", SECRET,
                "oauth.connections.orders.allow-insecure", "true"))).clock(clock).build();
    }

    @AfterEach
    void stop() {
        connections.close();
        server.stop();
    }

    @Test
    void metricsCountEventsAndShowTimeLeftOnTheToken() {
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"t-1\",\"token_type\":\"Bearer\",\"expires_in\":120}")));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new OAuthMetrics(connections, clock).bindTo(registry);

        assertEquals(0.0, registry.get("oauth.token.expires.in").tag("connection", "orders").gauge().value());
        connections.tokenManager("orders").orElseThrow().currentToken();

        assertEquals(1.0, registry.get("oauth.token.events").tags("connection", "orders", "event", "acquired").counter().count());
        assertEquals(120.0, registry.get("oauth.token.expires.in").tag("connection", "orders").gauge().value());
        assertEquals(1.0, registry.get("oauth.connection.up").tag("connection", "orders").gauge().value());
    }

    @Test
    void failedConnectionIsDownInMetrics() {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":\"invalid_client\"}").withHeader("Content-Type", "application/json")));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new OAuthMetrics(connections, clock).bindTo(registry);

        assertThrows(OAuthTokenException.class, () -> connections.tokenManager("orders").orElseThrow().currentToken());

        assertEquals(1.0, registry.get("oauth.token.events").tags("connection", "orders", "event", "failed").counter().count());
        assertEquals(1.0, registry.get("oauth.token.events").tags("connection", "orders", "event", "blocked").counter().count());
        assertEquals(0.0, registry.get("oauth.connection.up").tag("connection", "orders").gauge().value());
    }

    @Test
    void auditLinesAreJsonWithFingerprintAndNeverTheTokenOrSecret() {
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"t-secret-value\",\"token_type\":\"Bearer\"}")));
        List<String> lines = new CopyOnWriteArrayList<>();
        connections.addListener(e -> lines.add(AuditLog.toJson(e)));

        connections.tokenManager("orders").orElseThrow().currentToken();

        assertEquals(1, lines.size());
        String line = lines.get(0);
        assertTrue(line.startsWith("{\"at\":\"2026-01-01T00:00:00Z\",\"connection\":\"orders\",\"event\":\"ACQUIRED\",\"fingerprint\":\""
                + Token.fingerprint("t-secret-value") + "\""), line);
        assertFalse(line.contains("t-secret-value"), line);
        assertFalse(line.contains(SECRET), line);
    }

    @Test
    void auditJsonEscapesQuotesAndLineBreaks() {
        String line = AuditLog.toJson(new TokenEvent(TokenEvent.Type.FAILED, "orders", NOW, null, "said \"no\"\nnext"));
        assertEquals("{\"at\":\"2026-01-01T00:00:00Z\",\"connection\":\"orders\",\"event\":\"FAILED\",\"detail\":\"said \\\"no\\\"\\nnext\"}", line);
    }

    @Test
    void connectionIsDownBeforeItsFirstTokenLikeItsHealth() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new OAuthMetrics(connections, clock).bindTo(registry);

        assertEquals(0.0, registry.get("oauth.connection.up").tag("connection", "orders").gauge().value());
    }

    @Test
    void failedTokenRequestEventCarriesGrantDurationAndErrorCodeAndIsCountedRejected() {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":\"invalid_scope\"}").withHeader("Content-Type", "application/json")));
        RecentEvents recent = new RecentEvents();
        connections.addListener(recent);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new OAuthMetrics(connections, clock).bindTo(registry);

        assertThrows(OAuthTokenException.class, () -> connections.tokenManager("orders").orElseThrow().currentToken());

        TokenEvent failed = recent.recent("orders").stream().filter(e -> e.type() == TokenEvent.Type.FAILED).findFirst()
                .orElseThrow();
        assertEquals("client_credentials", failed.grant());
        assertEquals("invalid_scope", failed.errorCode());
        assertTrue(failed.endedTokenRequest(), "a request was sent: its duration is known");
        assertEquals(1.0, registry.get("oauth.token.requests")
                .tags("connection", "orders", "grant", "client_credentials", "outcome", "rejected").counter().count());
        assertEquals(1, registry.get("oauth.token.request.duration").tags("connection", "orders").timer().count());
        String line = AuditLog.toJson(failed);
        assertTrue(line.contains("\"grant\":\"client_credentials\",\"duration_ms\":0,\"error_code\":\"invalid_scope\""), line);
    }

    @Test
    void invalidateEmitsRevokedWithTheDroppedTokensFingerprint() {
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"t-revoked-value\",\"token_type\":\"Bearer\"}")));
        RecentEvents recent = new RecentEvents();
        connections.addListener(recent);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new OAuthMetrics(connections, clock).bindTo(registry);
        var manager = connections.tokenManager("orders").orElseThrow();
        manager.currentToken();

        manager.invalidate();

        TokenEvent revoked = recent.recent("orders").get(0);
        assertEquals(TokenEvent.Type.REVOKED, revoked.type());
        assertEquals(Token.fingerprint("t-revoked-value"), revoked.fingerprint());
        assertFalse(revoked.endedTokenRequest());
        assertEquals(1L, recent.counts("orders").get(TokenEvent.Type.REVOKED));
        assertEquals(1.0, registry.get("oauth.token.events").tags("connection", "orders", "event", "revoked").counter().count());
        assertFalse(revoked.toString().contains("t-revoked-value"), revoked.toString());
    }
}
