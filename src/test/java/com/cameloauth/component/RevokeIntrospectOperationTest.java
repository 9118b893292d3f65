package com.cameloauth.component;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

/** {@code operation=revoke} and {@code operation=introspect}: maps in the body, never a token. */
class RevokeIntrospectOperationTest {
    private static final String TOKEN = "tok-op-Zx81-never-in-a-body";

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
        p.setProperty("oauth.connections.orders.revocation-url", base + "/revoke");
        p.setProperty("oauth.connections.orders.introspection-url", base + "/introspect");
        p.setProperty("oauth.connections.orders.client-id", "orders-client");
        p.setProperty("oauth.connections.orders.client-secret", "s3cr3t");
        p.setProperty("oauth.connections.orders.allow-insecure", "true");
        p.setProperty("oauth.connections.open.policy", "none");
        p.setProperty("oauth.connections.open.base-url", base + "/open");
        p.setProperty("oauth.connections.open.allow-insecure", "true");
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(p);
        template = camel.createProducerTemplate();
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"" + TOKEN
                + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"refresh_token\":\"rt-op-1\"}")));
    }

    @AfterEach
    void stop() {
        camel.stop();
        server.stop();
    }

    @Test
    void revokeOperationWhenTokenHeldThenBodyListsWhatTheServerRevokedAndTheState() {
        server.stubFor(post("/revoke").willReturn(aResponse().withStatus(200)));
        camel.start();
        template.request("oauth:orders?operation=token", e -> { });

        Map<?, ?> body = template.requestBody("oauth:orders?operation=revoke", (Object) null, Map.class);

        assertEquals(List.of("refresh_token", "access_token"), body.get("revoked"));
        assertEquals("EXPIRED", body.get("state"));
        assertEquals(true, body.get("serverSide"));
        assertEquals(2, server.countRequestsMatching(postRequestedFor(urlPathEqualTo("/revoke")).build()).getCount());
        assertFalse(body.toString().contains(TOKEN));
    }

    @Test
    void introspectOperationThenBodyIsTheAnswerWithoutTheToken() {
        server.stubFor(post("/introspect").willReturn(okJson("{\"active\":true,\"scope\":\"orders:read\",\"token\":\""
                + TOKEN + "\"}")));
        camel.start();

        Map<?, ?> body = template.requestBody("oauth:orders?operation=introspect", (Object) null, Map.class);

        assertEquals(true, body.get("active"));
        assertEquals("orders:read", body.get("scope"));
        assertFalse(body.toString().contains(TOKEN), body.toString());
    }

    @Test
    void revokeOperationWhenPolicyHasNoTokensThenRouteRefusedAtStart() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:r").to("oauth:open?operation=revoke");
            }
        });

        Exception e = assertThrows(Exception.class, camel::start);

        assertTrue(String.valueOf(rootMessage(e)).contains("needs an OAuth policy"), String.valueOf(rootMessage(e)));
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
