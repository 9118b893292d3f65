package com.cameloauth.component;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/** {@code operation=consent-url}, and the token store from {@code oauth.store.*} in plain Camel across a restart. */
class ConsentUrlAndStoreTest {
    private static final String REDIRECT = "http://127.0.0.1/oauth/callback";

    @TempDir
    Path dir;

    private WireMockServer server;
    private CamelContext camel;

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\","
                + "\"expires_in\":300,\"refresh_token\":\"rt-1\"}")));
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        server.stop();
    }

    private static String key(int seed) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) seed);
        return Base64.getEncoder().encodeToString(k);
    }

    private CamelContext camel(String storeKey) {
        String base = "http://127.0.0.1:" + server.port();
        Properties p = new Properties();
        p.setProperty("oauth.connections.erp.policy", "authorization-code");
        p.setProperty("oauth.connections.erp.base-url", base + "/api");
        p.setProperty("oauth.connections.erp.token-url", base + "/token");
        p.setProperty("oauth.connections.erp.authorization-url", base + "/authorize");
        p.setProperty("oauth.connections.erp.redirect-uri", REDIRECT);
        p.setProperty("oauth.connections.erp.client-id", "erp-app");
        p.setProperty("oauth.connections.erp.client-auth", "none");
        p.setProperty("oauth.connections.erp.allow-insecure", "true");
        p.setProperty("oauth.connections.orders.policy", "client-credentials");
        p.setProperty("oauth.connections.orders.base-url", base + "/api");
        p.setProperty("oauth.connections.orders.token-url", base + "/token");
        p.setProperty("oauth.connections.orders.client-id", "orders-client");
        p.setProperty("oauth.connections.orders.client-secret", "s3cr3t");
        p.setProperty("oauth.connections.orders.allow-insecure", "true");
        if (storeKey != null) {
            p.setProperty("oauth.store.type", "file");
            p.setProperty("oauth.store.file.path", dir.resolve("tokens.store").toString());
            p.setProperty("oauth.store.encryption-key", storeKey);
        }
        CamelContext c = new DefaultCamelContext();
        c.getPropertiesComponent().setInitialProperties(p);
        return c;
    }

    private static URI callbackFor(String url, String code) {
        String state = URLUtils.parseParameters(URI.create(url).getRawQuery()).get("state").get(0);
        return URI.create(REDIRECT + "?code=" + code + "&state=" + state);
    }

    @Test
    void consentUrlOperationPutsTheAuthorizationUrlInTheBodyAndAHeader() {
        camel = camel(null);
        camel.start();
        Exchange out = camel.createProducerTemplate().request("oauth:erp?operation=consent-url", e -> { });

        String url = out.getMessage().getBody(String.class);
        assertEquals(url, out.getMessage().getHeader(OAuthConstants.CONSENT_URL));
        assertTrue(url.startsWith("http://127.0.0.1:" + server.port() + "/authorize?"), url);
        Map<String, List<String>> query = URLUtils.parseParameters(URI.create(url).getRawQuery());
        assertEquals(List.of("S256"), query.get("code_challenge_method"));
        assertEquals(List.of("erp-app"), query.get("client_id"));
        assertEquals(List.of(REDIRECT), query.get("redirect_uri"));
        camel.getComponent("oauth", OAuthComponent.class).getConnections().completeConsent(callbackFor(url, "c-1"));
        server.verify(1, postRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void consentUrlForAConnectionThatTakesNoConsentIsRefusedNamingIt() {
        camel = camel(null);
        Exception e = assertThrows(Exception.class, () -> {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:consent").to("oauth:orders?operation=consent-url");
                }
            });
            camel.start();
        });
        String message = chain(e);
        assertTrue(message.contains("connection 'orders' has policy 'client-credentials', which takes no consent"),
                message);
    }

    @Test
    void theFileStoreFromPropertiesKeepsAConsentedConnectionAcrossARestart() {
        camel = camel(key(3));
        camel.start();
        String url = camel.createProducerTemplate().requestBody("oauth:erp?operation=consent-url", null, String.class);
        camel.getComponent("oauth", OAuthComponent.class).getConnections().completeConsent(callbackFor(url, "c-1"));
        camel.stop();

        camel = camel(key(3)); // the restart
        camel.start();
        Exchange out = camel.createProducerTemplate().request("oauth:erp?operation=token", e -> { });
        assertEquals("at-1", out.getMessage().getHeader(OAuthConstants.ACCESS_TOKEN));
        server.verify(1, postRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void aWrongStoreKeyFailsStartUpWithTheStoresError() {
        camel = camel(key(3));
        camel.start();
        String url = camel.createProducerTemplate().requestBody("oauth:erp?operation=consent-url", null, String.class);
        camel.getComponent("oauth", OAuthComponent.class).getConnections().completeConsent(callbackFor(url, "c-1"));
        camel.stop();

        CamelContext wrong = camel(key(4));
        camel = null;
        Exception e = assertThrows(Exception.class, () -> {
            wrong.start();
            wrong.createProducerTemplate().request("oauth:erp?operation=token", x -> { });
        });
        wrong.stop();
        String message = chain(e);
        assertTrue(message.contains("TokenStoreException"), message);
        assertFalse(message.contains(key(4)) || message.contains("rt-1"), message);
    }

    private static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
