package com.cameloauth.component;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Plain Camel with a MeterRegistry in the Camel registry: real calls through {@code oauth:} against a WireMock token
 * endpoint and API, then the counters and timer a user would scrape, by tag.
 */
class ApiCallMetricsTest {
    private static final String SECRET = "s3cr3t-metrics";
    private WireMockServer server;
    private CamelContext camel;
    private final MeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(post("/token").inScenario("tokens").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"access_token\":\"tok-one-value\",\"token_type\":\"Bearer\",\"expires_in\":300}"))
                .willSetStateTo("second"));
        server.stubFor(post("/token").inScenario("tokens").whenScenarioStateIs("second")
                .willReturn(okJson("{\"access_token\":\"tok-two-value\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        server.stubFor(get("/api/ok").willReturn(okJson("{}")));
        server.stubFor(get("/api/stale").inScenario("stale").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\""))
                .willSetStateTo("fine"));
        server.stubFor(get("/api/stale").inScenario("stale").whenScenarioStateIs("fine").willReturn(okJson("{}")));
        server.stubFor(get("/api/broken").willReturn(aResponse().withStatus(503)));
        String base = "http://127.0.0.1:" + server.port();
        Properties p = new Properties();
        p.setProperty("oauth.connections.orders.policy", "client-credentials");
        p.setProperty("oauth.connections.orders.base-url", base + "/api");
        p.setProperty("oauth.connections.orders.token-url", base + "/token");
        p.setProperty("oauth.connections.orders.client-id", "orders-client");
        p.setProperty("oauth.connections.orders.client-secret", SECRET);
        p.setProperty("oauth.connections.orders.allow-insecure", "true");
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(p);
        camel.getRegistry().bind("meterRegistry", meters);
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        server.stop();
    }

    @Test
    void countsTokenRequestsApiCallsByStatusClassAndReplays() {
        ProducerTemplate template = camel.createProducerTemplate();
        for (int i = 0; i < 3; i++) {
            call(template, "oauth:orders/ok");
        }
        Exchange replayed = call(template, "oauth:orders/stale");
        Exchange broken = call(template, "oauth:orders/broken?throwExceptionOnFailure=false");

        assertEquals(Boolean.TRUE, replayed.getMessage().getHeader(OAuthConstants.REPLAYED));
        assertEquals(503, broken.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        server.verify(2, postRequestedFor(urlEqualTo("/token")));
        server.verify(2, getRequestedFor(urlEqualTo("/api/stale")));

        assertEquals(2.0, meters.get("oauth.token.requests")
                .tags("connection", "orders", "grant", "client_credentials", "outcome", "success").counter().count());
        assertEquals(2, meters.get("oauth.token.request.duration").tags("connection", "orders", "grant", "client_credentials")
                .timer().count());
        assertEquals(4.0, apiCalls("2xx"), "3 calls to ok and the replay of stale");
        assertEquals(1.0, apiCalls("4xx"), "the 401 before the replay");
        assertEquals(1.0, apiCalls("5xx"));
        assertEquals(0.0, apiCalls("error"));
        assertEquals(1.0, meters.get("oauth.api.replays").tag("connection", "orders").counter().count());
        assertEquals(1.0, meters.get("oauth.token.refreshes").tag("connection", "orders").counter().count(),
                "the token after the 401 replaced the first one");
        assertEquals(1.0, meters.get("oauth.token.events").tags("connection", "orders", "event", "replayed").counter().count());
        assertEquals(1.0, meters.get("oauth.token.events").tags("connection", "orders", "event", "rejected").counter().count());

        for (Meter meter : meters.getMeters()) {
            for (Tag tag : meter.getId().getTags()) {
                assertFalse(tag.getValue().contains("tok-") || tag.getValue().contains(SECRET), meter.getId().toString());
            }
        }
    }

    @Test
    void countsAFailedTokenRequestRejectedByTheServerAndNoApiCall() {
        server.resetAll();
        server.stubFor(post("/token").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_scope\"}")));
        ProducerTemplate template = camel.createProducerTemplate();

        Exchange failed = call(template, "oauth:orders/ok");

        assertEquals(true, failed.getException() != null);
        assertEquals(1.0, meters.get("oauth.token.requests")
                .tags("connection", "orders", "grant", "client_credentials", "outcome", "rejected").counter().count());
        assertEquals(0.0, meters.get("oauth.connection.up").tag("connection", "orders").gauge().value());
        assertEquals(0, meters.find("oauth.api.calls").counters().stream().mapToDouble(c -> c.count()).sum());
    }

    private double apiCalls(String statusClass) {
        var counter = meters.find("oauth.api.calls").tags("connection", "orders", "status_class", statusClass).counter();
        return counter == null ? 0.0 : counter.count();
    }

    private static Exchange call(ProducerTemplate template, String uri) {
        return template.send(uri, e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
    }
}
