package com.cameloauth.component;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenEvent;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

class ConnectionHealthCheckTest {
    private static final String TOKEN = "tok-never-in-health";
    private static final String TOKEN_JSON = "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":300}";

    private WireMockServer server;
    private CamelContext camel;
    private OAuthConnections engine;
    private final Properties properties = new Properties();

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        String base = "http://127.0.0.1:" + server.port();
        Properties p = properties;
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
        if (engine != null) {
            engine.close();
        }
        server.stop();
    }

    private void stubTokenEndpoint(ResponseDefinitionBuilder response) {
        server.stubFor(post("/token").willReturn(response));
    }

    private int tokenRequests() {
        return server.countRequestsMatching(postRequestedFor(urlPathEqualTo("/token")).build()).getCount();
    }

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private HealthCheck.Result check(String connection) {
        HealthCheck check = HealthCheckRegistry.get(camel).getCheck("oauth-connection-" + connection).orElseThrow();
        return check.call();
    }

    private void startWithComponentInUse() {
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.start();
        camel.getEndpoint("oauth:orders");
    }

    @Test
    void neverTriedConnectionIsNotReadyAndTheHealthCallStartsATokenRequest() {
        stubTokenEndpoint(okJson(TOKEN_JSON));
        startWithComponentInUse();

        HealthCheck.Result first = check("orders");

        assertEquals(HealthCheck.State.DOWN, first.getState(), "not ready before a token could be had");
        assertEquals("IDLE", first.getDetails().get("state"));
        assertEquals("checking", first.getDetails().get("token"));
        assertEquals("client-credentials", first.getDetails().get("policy"));
        // No route asks for a token: the health calls alone make the connection ready.
        await().atMost(Duration.ofSeconds(10)).until(() -> check("orders").getState() == HealthCheck.State.UP);
        assertEquals("ACTIVE", check("orders").getDetails().get("state"));
        assertEquals(1, tokenRequests());
        HealthCheck check = HealthCheckRegistry.get(camel).getCheck("oauth-connection-orders").orElseThrow();
        assertTrue(check.isReadiness());
        assertFalse(check.isLiveness());
    }

    @Test
    void wrongSecretIsNeverReadyAndTheHealthCallsDoNotHammerTheServer() {
        stubTokenEndpoint(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_client\"}"));
        startWithComponentInUse();

        assertEquals(HealthCheck.State.DOWN, check("orders").getState());
        await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(check("orders").getDetails().get("state")));
        for (int i = 0; i < 5; i++) {
            HealthCheck.Result result = check("orders");
            assertEquals(HealthCheck.State.DOWN, result.getState());
            assertEquals("invalid_client", result.getDetails().get("error.code"));
            assertEquals(401, result.getDetails().get("http.status"));
        }
        assertEquals(1, tokenRequests(), "the rejected client is not asked again before circuit-open-duration");
    }

    @Test
    void afterOneFailedTokenRequestHealthRecoversWithoutRouteTraffic() {
        properties.setProperty("oauth.connections.orders.max-attempts", "1");
        server.stubFor(post("/token").inScenario("t").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("working"));
        server.stubFor(post("/token").inScenario("t").whenScenarioStateIs("working").willReturn(okJson(TOKEN_JSON)));
        startWithComponentInUse();
        assertThrows(CamelExecutionException.class, () -> camel.createProducerTemplate()
                .requestBodyAndHeader("oauth:orders/x", null, Exchange.HTTP_METHOD, "GET"));
        assertEquals(HealthCheck.State.DOWN, check("orders").getState());

        await().atMost(Duration.ofSeconds(10)).until(() -> check("orders").getState() == HealthCheck.State.UP);

        assertEquals("ACTIVE", check("orders").getDetails().get("state"));
        assertEquals(2, tokenRequests(), "the failed one, then one from the health check");
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
    void healthShowsNoHostPathOrErrorDescriptionOfTheServer() {
        stubTokenEndpoint(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_scope\",\"error_description\":\"see https://idp.internal.example/help\"}"));
        startWithComponentInUse();
        assertThrows(CamelExecutionException.class, () -> camel.createProducerTemplate()
                .requestBodyAndHeader("oauth:orders/x", null, Exchange.HTTP_METHOD, "GET"));

        HealthCheck.Result result = check("orders");

        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertEquals("invalid_scope", result.getDetails().get("error.code"));
        assertEquals(400, result.getDetails().get("http.status"));
        assertShowsNothingOfTheServer(result, "idp.internal.example", "see https");
    }

    @Test
    void unreachableTokenEndpointIsDownWithoutItsAddress() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        properties.setProperty("oauth.connections.orders.token-url",
                "http://127.0.0.1:" + closedPort + "/token");
        properties.setProperty("oauth.connections.orders.max-attempts", "1");
        startWithComponentInUse();
        assertThrows(CamelExecutionException.class, () -> camel.createProducerTemplate()
                .requestBodyAndHeader("oauth:orders/x", null, Exchange.HTTP_METHOD, "GET"));

        HealthCheck.Result result = check("orders");

        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertEquals("UNAVAILABLE", result.getDetails().get("state"));
        assertShowsNothingOfTheServer(result, String.valueOf(closedPort));
    }

    @Test
    void failedOrBlockedBackgroundRefreshWhileATokenIsValidIsUpWithTheReason() {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Properties p = properties;
        p.setProperty("oauth.connections.orders.refresh-skew", "60s");
        p.setProperty("oauth.connections.orders.max-attempts", "1");
        p.setProperty("oauth.connections.orders.circuit-failure-threshold", "1");
        Map<String, String> properties = new HashMap<>();
        p.stringPropertyNames().forEach(k -> properties.put(k, p.getProperty(k)));
        engine = OAuthConnections.builder(ConnectionDefinitions.fromProperties(properties)).clock(clock).build();
        List<TokenEvent.Type> events = new CopyOnWriteArrayList<>();
        engine.addListener(e -> events.add(e.type()));
        camel.addComponent("oauth", new OAuthComponent(engine));
        server.stubFor(post("/token").inScenario("t").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(TOKEN_JSON)).willSetStateTo("failing"));
        server.stubFor(post("/token").inScenario("t").whenScenarioStateIs("failing").willReturn(aResponse().withStatus(503)));
        startWithComponentInUse();
        camel.createProducerTemplate().requestBody("oauth:orders?operation=token", (Object) null);

        clock.advance(Duration.ofSeconds(241));
        camel.createProducerTemplate().requestBody("oauth:orders?operation=token", (Object) null);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains(TokenEvent.Type.BLOCKED));
        HealthCheck.Result result = check("orders");

        assertEquals(HealthCheck.State.UP, result.getState(), "the valid token is still served");
        assertEquals("ACTIVE", result.getDetails().get("state"));
        assertEquals("failing", result.getDetails().get("refresh"));
        assertEquals(503, result.getDetails().get("http.status"));
        assertEquals(2, tokenRequests());
    }

    private static void assertShowsNothingOfTheServer(HealthCheck.Result result, String... more) {
        String shown = result.getMessage().orElse("") + " " + result.getDetails();
        for (String s : List.of("http://", "https://", "127.0.0.1", "/token")) {
            assertFalse(shown.contains(s), () -> "health shows '" + s + "': " + shown);
        }
        for (String s : more) {
            assertFalse(shown.contains(s), () -> "health shows '" + s + "': " + shown);
        }
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
