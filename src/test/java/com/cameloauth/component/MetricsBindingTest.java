package com.cameloauth.component;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cameloauth.token.OAuthConnections;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Outside Quarkus (camel-main, Spring Boot), the component binds its metrics to the application's MeterRegistry when
 * the Camel registry has one: what Spring Boot's actuator or a camel-main app with Micrometer would show.
 */
class MetricsBindingTest {
    private WireMockServer server;
    private CamelContext camel;
    private final MeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"t1\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        server.stubFor(get("/api/x").willReturn(okJson("{}")));
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
    }

    @AfterEach
    void stop() {
        camel.stop();
        server.stop();
    }

    @Test
    void bindsToTheMeterRegistryInTheCamelRegistry() {
        camel.getRegistry().bind("meterRegistry", meters);
        camel.start();

        camel.createProducerTemplate().send("oauth:orders/x", e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));

        assertEquals(1.0, meters.get("oauth.token.events").tag("connection", "orders").tag("event", "acquired")
                .counter().count());
        assertEquals(1.0, meters.get("oauth.connection.up").tag("connection", "orders").gauge().value());
        double expiresIn = meters.get("oauth.token.expires.in").tag("connection", "orders").gauge().value();
        assertTrue(expiresIn > 250 && expiresIn <= 300, "seconds to expiry " + expiresIn);
    }

    @Test
    void bindsNothingWithoutAMeterRegistryAndStillCalls() {
        camel.start();
        Exchange out = camel.createProducerTemplate()
                .send("oauth:orders/x", e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
        assertEquals(200, out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertTrue(meters.getMeters().isEmpty());
    }

    @Test
    void leavesConnectionsTheApplicationBuiltToTheApplication() {
        // The Quarkus app (and anyone passing OAuthConnections) binds OAuthMetrics itself; binding again would register
        // every gauge twice.
        OAuthConnections own = OAuthConnections.builder(com.cameloauth.connection.ConnectionDefinitions.load(
                java.util.List.of(new CamelPropertiesConfigSource(camel)))).build();
        try {
            camel.getRegistry().bind("meterRegistry", meters);
            camel.addComponent("oauth", new OAuthComponent(own));
            camel.start();
            assertNotNull(camel.getEndpoint("oauth:orders"));
            assertTrue(meters.find("oauth.connection.up").gauges().isEmpty());
        } finally {
            own.close();
        }
    }
}
