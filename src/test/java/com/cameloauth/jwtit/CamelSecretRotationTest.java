package com.cameloauth.jwtit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cameloauth.component.OAuthConstants;
import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * In plain Camel, a client secret that comes through Camel's properties ({@code {{orders.secret}}}, as a vault
 * function would give it) is resolved again when the token endpoint answers {@code invalid_client}: a rotated value
 * is used for exactly one more request, without restarting the CamelContext.
 */
class CamelSecretRotationTest {
    private static final String OLD = "old-secret-7Hq2";
    private static final String ROTATED = "rotated-secret-Vw93";

    private WireMockServer server;
    private CamelContext camel;

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(post("/token").willReturn(aResponse().withStatus(401).withHeader("Content-Type",
                "application/json").withBody("{\"error\":\"invalid_client\"}")));
        server.stubFor(post("/token").withRequestBody(containing("client_secret=" + ROTATED))
                .willReturn(okJson("{\"access_token\":\"at-new\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        Properties p = new Properties();
        String base = "http://127.0.0.1:" + server.port();
        p.setProperty("oauth.connections.orders.policy", "client-credentials");
        p.setProperty("oauth.connections.orders.base-url", base + "/api");
        p.setProperty("oauth.connections.orders.token-url", base + "/token");
        p.setProperty("oauth.connections.orders.client-id", "orders-client");
        p.setProperty("oauth.connections.orders.client-secret", "{{orders.secret}}");
        p.setProperty("oauth.connections.orders.client-auth", "client_secret_post");
        p.setProperty("oauth.connections.orders.allow-insecure", "true");
        p.setProperty("orders.secret", OLD);
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(p);
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        server.stop();
    }

    @Test
    void invalidClientWhenTheCamelPropertyWasRotatedThenOneRetryWithTheNewSecret() {
        camel.getEndpoint("oauth:orders?operation=token"); // the connection is read now, with the old secret
        camel.getPropertiesComponent().addOverrideProperty("orders.secret", ROTATED);

        var exchange = camel.createProducerTemplate().request("oauth:orders?operation=token", e -> { });

        assertEquals(null, exchange.getException());
        assertEquals("at-new", exchange.getMessage().getHeader(OAuthConstants.ACCESS_TOKEN));
        assertEquals(2, server.countRequestsMatching(postRequestedFor(urlPathEqualTo("/token")).build()).getCount());
        assertEquals(1, server.countRequestsMatching(postRequestedFor(urlPathEqualTo("/token"))
                .withRequestBody(containing("client_secret=" + OLD)).build()).getCount());
    }
}
