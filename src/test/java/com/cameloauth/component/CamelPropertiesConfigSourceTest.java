package com.cameloauth.component;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cameloauth.connection.ConnectionConfigurationException;
import com.cameloauth.connection.ConnectionDefinitions;
import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * Issue 9: a placeholder that Camel cannot resolve ({{env:UNSET}}, {{missing}}, a vault function that is not there)
 * fails start-up naming the connection, the key and the variable; its text is never sent as a credential.
 */
class CamelPropertiesConfigSourceTest {
    /** An environment variable that no machine running these tests sets. */
    private static final String UNSET = "CAMEL_OAUTH_TEST_UNSET_ORDERS_SECRET";

    private final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final Properties properties = new Properties();

    @BeforeEach
    void start() {
        server.start();
        server.stubFor(post(anyUrl()).willReturn(okJson("{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        String base = "http://127.0.0.1:" + server.port();
        properties.setProperty("oauth.connections.orders.policy", "client-credentials");
        properties.setProperty("oauth.connections.orders.base-url", base + "/api");
        properties.setProperty("oauth.connections.orders.token-url", base + "/token");
        properties.setProperty("oauth.connections.orders.client-id", "orders-client");
        properties.setProperty("oauth.connections.orders.allow-insecure", "true");
        camel.getPropertiesComponent().setInitialProperties(properties);
    }

    @AfterEach
    void stop() {
        camel.stop();
        server.stop();
    }

    private List<String> problems() {
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> ConnectionDefinitions.load(List.of(new CamelPropertiesConfigSource(camel))));
        return e.problems();
    }

    @Test
    void unsetEnvironmentVariableThenStartFailsNamingIt() {
        properties.setProperty("oauth.connections.orders.client-secret", "{{env:" + UNSET + "}}");

        assertEquals(List.of("connection 'orders': key 'client-secret': variable '" + UNSET + "' is not set ({{env:"
                + UNSET + "}})"), problems());
    }

    @Test
    void unsetEnvironmentVariableThenRouteStartFailsAndNothingIsSent() throws Exception {
        properties.setProperty("oauth.connections.orders.client-secret", "{{env:" + UNSET + "}}");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").setHeader(Exchange.HTTP_METHOD, constant("GET")).to("oauth:orders/v1");
            }
        });

        Exception e = assertThrows(Exception.class, camel::start);

        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("variable '" + UNSET + "' is not set"), root.getMessage());
        assertEquals(0, server.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void missingPropertyAndSystemPropertyThenEachNamed() {
        properties.setProperty("oauth.connections.orders.client-secret", "{{orders.secret}}");
        properties.setProperty("oauth.connections.orders.scopes", "{{sys:camel.oauth.test.unset.scopes}}");

        assertEquals(List.of("connection 'orders': key 'client-secret': property 'orders.secret' is not set ({{orders.secret}})",
                "connection 'orders': key 'scopes': system property 'camel.oauth.test.unset.scopes' is not set"
                        + " ({{sys:camel.oauth.test.unset.scopes}})"), problems());
    }

    @Test
    void vaultFunctionNotInstalledThenRefusedInsteadOfUsingTheTextAfterTheColon() {
        // Without camel-aws-secrets-manager, Camel reads {{aws:orders/secret}} as the property 'aws' with the default
        // 'orders/secret', which would become the client secret.
        properties.setProperty("oauth.connections.orders.client-secret", "{{aws:orders/secret}}");

        assertEquals(List.of("connection 'orders': key 'client-secret': '{{aws:orders/secret}}' was not resolved: Camel has"
                + " no 'aws' properties function (add the Camel component of that vault and configure it)"), problems());
    }

    @Test
    void unsetSmallRyeExpressionThenNamedToo() {
        properties.setProperty("oauth.connections.orders.client-secret", "${" + UNSET + "}");

        assertEquals(List.of("connection 'orders': key 'client-secret': variable '" + UNSET + "' is not set (${" + UNSET
                + "})"), problems());
    }

    @Test
    void resolvedPlaceholdersThenUsed() {
        properties.setProperty("orders.secret", "from-camel");
        properties.setProperty("oauth.connections.orders.client-secret", "{{orders.secret}}");
        properties.setProperty("oauth.connections.orders.scopes", "{{env:" + UNSET + ":orders:read}}");

        var d = ConnectionDefinitions.load(List.of(new CamelPropertiesConfigSource(camel))).get("orders");

        assertEquals("from-camel", d.oauthClient().orElseThrow().clientSecret().orElseThrow().reveal());
        assertEquals(List.of("orders:read"), d.oauthClient().orElseThrow().scopes());
    }
}
