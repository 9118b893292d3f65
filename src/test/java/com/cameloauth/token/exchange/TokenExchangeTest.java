package com.cameloauth.token.exchange;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.cameloauth.connection.ConnectionConfigurationException;
import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.OAuthTokenException;
import com.cameloauth.token.SubjectTokenExchange;
import com.cameloauth.token.TokenEvent;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/** Policy token-exchange (RFC 8693) against a WireMock token endpoint: what is sent, what is cached, what is refused. */
class TokenExchangeTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String SUBJECT = "subject-tok-Hd81-never-logged";

    private final Map<String, String> properties = new LinkedHashMap<>();
    private OAuthConnections engine;
    private CamelContext camel;

    @AfterEach
    void close() {
        if (camel != null) {
            camel.stop();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private void connection(String name, String... keyValues) {
        properties.put("oauth.connections." + name + ".base-url", base() + "/api");
        properties.put("oauth.connections." + name + ".token-url", base() + "/token");
        properties.put("oauth.connections." + name + ".allow-insecure", "true");
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put("oauth.connections." + name + "." + keyValues[i], keyValues[i + 1]);
        }
    }

    private void ordersAndPartner(String... partnerKeys) {
        connection("orders", "policy", "client-credentials", "client-id", "orders", "client-secret", "orders-secret");
        List<String> keys = new java.util.ArrayList<>(List.of("policy", "token-exchange", "client-id", "partner",
                "client-secret", "partner-secret"));
        keys.addAll(List.of(partnerKeys));
        connection("partner", keys.toArray(String[]::new));
    }

    private void stubTokenEndpoint() {
        server.stubFor(post("/token").withRequestBody(containing("grant_type=client_credentials"))
                .willReturn(okJson("{\"access_token\":\"orders-tok\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        server.stubFor(post("/token").withRequestBody(containing("token-exchange"))
                .willReturn(okJson("{\"access_token\":\"exchanged-tok\",\"issued_token_type\":"
                        + "\"urn:ietf:params:oauth:token-type:access_token\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
    }

    private List<LoggedRequest> exchangeRequests() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/token")).withRequestBody(containing("token-exchange")));
    }

    private static Map<String, List<String>> form(LoggedRequest r) {
        return URLUtils.parseParameters(r.getBodyAsString());
    }

    @Test
    void authorizeWhenSubjectConnectionThenExchangesItsCurrentTokenWithTheConfiguredParameters() {
        ordersAndPartner("subject-connection", "orders", "audience", "partner-api", "resource", "https://partner.example/api",
                "scopes", "partner:read", "requested-token-type", "urn:ietf:params:oauth:token-type:access_token");
        stubTokenEndpoint();
        engine = OAuthConnections.builder(ConnectionDefinitions.fromProperties(properties)).build();

        assertEquals("Bearer exchanged-tok", engine.authorizer("partner").authorize().headerValue());
        engine.authorizer("partner").authorize();

        List<LoggedRequest> sent = exchangeRequests();
        assertEquals(1, sent.size(), "the exchanged token is cached like any other");
        Map<String, List<String>> p = form(sent.get(0));
        assertEquals(List.of(EXCHANGE), p.get("grant_type"));
        assertEquals(List.of("orders-tok"), p.get("subject_token"));
        assertEquals(List.of("urn:ietf:params:oauth:token-type:access_token"), p.get("subject_token_type"));
        assertEquals(List.of("urn:ietf:params:oauth:token-type:access_token"), p.get("requested_token_type"));
        assertEquals(List.of("partner-api"), p.get("audience"));
        assertEquals(List.of("https://partner.example/api"), p.get("resource"));
        assertEquals(List.of("partner:read"), p.get("scope"));
        assertTrue(sent.get(0).getHeader("Authorization").startsWith("Basic "), "the requester authenticates itself");
    }

    @Test
    void authorizeWhenSubjectFromHeaderThenEachSubjectGetsItsOwnCachedToken() {
        ordersAndPartner("subject-token-from-header", "true");
        stubTokenEndpoint();
        engine = OAuthConnections.builder(ConnectionDefinitions.fromProperties(properties)).build();
        SubjectTokenExchange perSubject = assertInstanceOf(SubjectTokenExchange.class, engine.authorizer("partner"));

        perSubject.forSubject("alice-token").authorize();
        perSubject.forSubject("alice-token").authorize();
        perSubject.forSubject("bob-token").authorize();

        List<String> subjects = exchangeRequests().stream().map(r -> form(r).get("subject_token").get(0)).toList();
        assertEquals(List.of("alice-token", "bob-token"), subjects.stream().sorted().toList());
        assertEquals(2, perSubject.cachedSubjects());
        assertTrue(engine.tokenManager("partner").isEmpty(), "no shared token for a per-subject connection");
    }

    @Test
    void authorizeWhenSubjectFromHeaderButNoneGivenThenFailsWithoutARequest() {
        ordersAndPartner("subject-token-from-header", "true");
        stubTokenEndpoint();
        engine = OAuthConnections.builder(ConnectionDefinitions.fromProperties(properties)).build();

        OAuthTokenException e = assertThrows(OAuthTokenException.class, () -> engine.authorizer("partner").authorize());
        assertTrue(e.getMessage().contains("no subject token"), e.getMessage());
        assertEquals(0, exchangeRequests().size());
    }

    @Test
    void refusedExchangeNeverRepeatsTheSubjectTokenInMessagesOrEvents() {
        ordersAndPartner("subject-token-from-header", "true");
        server.stubFor(post("/token").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_request\",\"error_description\":\"bad subject " + SUBJECT + "\"}")));
        engine = OAuthConnections.builder(ConnectionDefinitions.fromProperties(properties)).build();
        List<TokenEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine.addListener(events::add);
        SubjectTokenExchange perSubject = (SubjectTokenExchange) engine.authorizer("partner");

        OAuthTokenException e = assertThrows(OAuthTokenException.class, () -> perSubject.forSubject(SUBJECT).authorize());

        assertFalse(e.getMessage().contains(SUBJECT), e.getMessage());
        assertEquals("invalid_request", e.errorCode().orElseThrow());
        assertFalse(events.isEmpty());
        events.forEach(ev -> assertFalse(String.valueOf(ev).contains(SUBJECT) || String.valueOf(ev.detail()).contains(SUBJECT)));
    }

    @Test
    void configurationWithoutASubjectSourceOrWithBothIsRefusedNamingTheKey() {
        ordersAndPartner();
        ConnectionConfigurationException none = assertThrows(ConnectionConfigurationException.class,
                () -> ConnectionDefinitions.fromProperties(properties));
        assertTrue(none.getMessage().contains("connection 'partner': key 'subject-connection': missing"), none.getMessage());

        properties.put("oauth.connections.partner.subject-connection", "orders");
        properties.put("oauth.connections.partner.subject-token-from-header", "true");
        ConnectionConfigurationException both = assertThrows(ConnectionConfigurationException.class,
                () -> ConnectionDefinitions.fromProperties(properties));
        assertTrue(both.getMessage().contains("key 'subject-connection': is set, and so is subject-token-from-header"),
                both.getMessage());

        properties.remove("oauth.connections.partner.subject-token-from-header");
        properties.put("oauth.connections.partner.subject-token-type", "not a uri");
        ConnectionConfigurationException type = assertThrows(ConnectionConfigurationException.class,
                () -> ConnectionDefinitions.fromProperties(properties));
        assertTrue(type.getMessage().contains("key 'subject-token-type'"), type.getMessage());
    }

    @Test
    void subjectConnectionThatIsUnknownOrACycleFailsAtStart() {
        ordersAndPartner("subject-connection", "nope");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> OAuthConnections.builder(ConnectionDefinitions.fromProperties(properties)).build());
        assertTrue(unknown.getMessage().contains("connection 'partner': key 'subject-connection': 'nope' names no"
                + " connection"), unknown.getMessage());

        properties.put("oauth.connections.partner.subject-connection", "back");
        connection("back", "policy", "token-exchange", "client-id", "b", "client-secret", "b", "subject-connection", "partner");
        IllegalArgumentException cycle = assertThrows(IllegalArgumentException.class,
                () -> OAuthConnections.builder(ConnectionDefinitions.fromProperties(properties)).build());
        assertTrue(cycle.getMessage().contains("makes a cycle"), cycle.getMessage());
    }

    // ---- through the oauth: component ----

    private void startCamel() {
        camel = new DefaultCamelContext();
        Properties p = new Properties();
        p.putAll(properties);
        camel.getPropertiesComponent().setInitialProperties(p);
        camel.start();
    }

    @Test
    void callWithSubjectHeaderSendsTheExchangedTokenAndRefusesTheHeaderWithoutTheOptIn() {
        ordersAndPartner("subject-token-from-header", "true");
        connection("partner-fixed", "policy", "token-exchange", "client-id", "partner", "client-secret", "partner-secret",
                "subject-connection", "orders");
        stubTokenEndpoint();
        server.stubFor(get("/api/v1/things").willReturn(okJson("[]")));
        startCamel();
        var template = camel.createProducerTemplate();

        Exchange ok = template.request("oauth:partner/v1/things", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            e.getMessage().setHeader("CamelOAuthSubjectToken", SUBJECT);
        });
        assertEquals(null, ok.getException());
        server.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/things"))
                .withHeader("Authorization", equalTo("Bearer exchanged-tok")));
        assertEquals(List.of(SUBJECT), form(exchangeRequests().get(0)).get("subject_token"));

        int tokenRequestsBefore = server.findAll(postRequestedFor(urlPathEqualTo("/token"))).size();
        Exchange refused = template.request("oauth:partner-fixed/v1/things", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            e.getMessage().setHeader("CamelOAuthSubjectToken", "attacker-chosen");
        });
        assertInstanceOf(IllegalArgumentException.class, refused.getException());
        assertTrue(refused.getException().getMessage().contains("set subject-token-from-header=true"));
        assertFalse(refused.getException().getMessage().contains("attacker-chosen"));
        assertEquals(tokenRequestsBefore, server.findAll(postRequestedFor(urlPathEqualTo("/token"))).size(),
                "no token request for a refused header");
        server.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/things")));

        Exchange missing = template.request("oauth:partner/v1/things", e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
        assertInstanceOf(OAuthTokenException.class, missing.getException());
    }

    @Test
    void refreshTestAndHealthWhenSubjectFromHeaderThenSayTheConnectionHasNoSharedToken() {
        ordersAndPartner("subject-token-from-header", "true");
        stubTokenEndpoint();
        startCamel();
        var template = camel.createProducerTemplate();

        Exchange refresh = template.request("oauth:partner?operation=refresh", e -> { });
        assertInstanceOf(OAuthTokenException.class, refresh.getException());
        String message = refresh.getException().getMessage();
        assertTrue(message.contains("'partner'") && message.contains("takes its subject token from each message"),
                message);

        Exchange test = template.request("oauth:partner?operation=test", e -> { });
        assertEquals(null, test.getException());
        Map<?, ?> report = test.getMessage().getBody(Map.class);
        assertEquals("PER_SUBJECT", report.get("state"), report.toString());
        assertTrue(String.valueOf(report.get("detail")).contains("takes its subject token from each message"),
                report.toString());

        HealthCheck.Result health = HealthCheckRegistry.get(camel).getCheck("oauth-connection-partner").orElseThrow()
                .call();
        assertEquals(HealthCheck.State.UP, health.getState());
        assertEquals("PER_SUBJECT", health.getDetails().get("state"));
        assertTrue(health.getMessage().orElse("").contains("takes its subject token from each message"));
        assertEquals(0, exchangeRequests().size(), "no exchange without a subject token");
    }
}
