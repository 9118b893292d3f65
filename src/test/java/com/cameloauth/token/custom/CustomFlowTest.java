package com.cameloauth.token.custom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.cameloauth.connection.ConnectionConfigurationException;
import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.token.Authorization;
import com.cameloauth.token.InvalidTokenResponseException;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenRequestRejectedException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/** Policy custom: templated token requests against non-standard WireMock endpoints, and what a user can see. */
class CustomFlowTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    /** Every character that could break out of a form, a JSON string or a URL. */
    private static final String NASTY_SECRET = "s3c&grant_type=x\"},\"admin\":true,%41+ =\\u0022/?#";

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

    private void custom(String... keyValues) {
        put("policy", "custom");
        put("base-url", base() + "/api");
        put("allow-insecure", "true");
        for (int i = 0; i < keyValues.length; i += 2) {
            put(keyValues[i], keyValues[i + 1]);
        }
    }

    private void put(String key, String value) {
        properties.put("oauth.connections.legacy." + key, value);
    }

    private Authorization authorize() {
        engine = OAuthConnections.builder(ConnectionDefinitions.fromProperties(properties)).build();
        return engine.authorizer("legacy").authorize();
    }

    private static LoggedRequest only(List<LoggedRequest> requests) {
        assertEquals(1, requests.size());
        return requests.get(0);
    }

    @Test
    void getWithQueryParametersAndATextAnswerReadByRegex() {
        custom("token-request-method", "GET",
                "token-request-url", base() + "/login?user={client-id}&key={client-secret}&scope={scope}",
                "client-id", "integration user", "client-secret", NASTY_SECRET, "scopes", "read write",
                "token-response-access-token", "regex:token=([A-Za-z0-9]+)",
                "token-response-expires-in", "regex:valid_for=(\\d+)");
        server.stubFor(get(urlPathEqualTo("/login")).willReturn(aResponse().withHeader("Content-Type", "text/plain")
                .withBody("status=ok\ntoken=Tk42abc\nvalid_for=600\n")));

        Authorization auth = authorize();

        assertEquals("Bearer Tk42abc", auth.headerValue());
        assertEquals(Duration.ofSeconds(600), Duration.between(auth.token().receivedAt(), auth.token().expiresAt()));
        LoggedRequest r = only(server.findAll(getRequestedFor(urlPathEqualTo("/login"))));
        assertEquals(Map.of("user", List.of("integration user"), "key", List.of(NASTY_SECRET), "scope",
                List.of("read write")), URLUtils.parseParameters(r.getUrl().substring(r.getUrl().indexOf('?') + 1)),
                "each value arrives intact and adds no parameter");
    }

    @Test
    void jsonBodyWithAnApiKeyAnsweredByANestedJwt() throws Exception {
        custom("token-request-url", base() + "/v2/auth", "token-request-content-type", "json",
                "token-request-body", "{\"apiKey\":\"{client-secret}\",\"tenant\":\"{value.tenant}\"}",
                "token-request-values", "tenant=acme \"eu\"", "client-secret", NASTY_SECRET,
                "token-request-headers", "X-Client: camel-oauth; X-Tenant: {value.tenant};Accept: application/json; q=1",
                "token-response-access-token", "$.data.jwt", "token-response-expires-in", "/data/ttl",
                "header-name", "X-Auth-Token", "header-prefix", "none");
        server.stubFor(post("/v2/auth").willReturn(okJson("{\"data\":{\"jwt\":\"eyJhbGciOi.x.y\",\"ttl\":3600}}")));

        Authorization auth = authorize();

        assertEquals("X-Auth-Token", auth.headerName());
        assertEquals("eyJhbGciOi.x.y", auth.headerValue());
        assertEquals(Duration.ofHours(1), Duration.between(auth.token().receivedAt(), auth.token().expiresAt()));
        LoggedRequest r = only(server.findAll(postRequestedFor(urlPathEqualTo("/v2/auth"))));
        JsonNode body = new ObjectMapper().readTree(r.getBodyAsString());
        assertEquals(2, body.size(), "no member injected: " + body.fieldNames());
        assertEquals(NASTY_SECRET, body.get("apiKey").asText());
        assertEquals("acme \"eu\"", body.get("tenant").asText());
        assertTrue(r.getHeader("Content-Type").startsWith("application/json"), r.getHeader("Content-Type"));
        assertEquals("camel-oauth", r.getHeader("X-Client"));
        assertEquals("acme \"eu\"", r.getHeader("X-Tenant"));
        assertEquals("application/json; q=1", r.getHeader("Accept"));
    }

    @Test
    void formBodyValuesAreFormEncodedAndInjectNoParameter() {
        custom("token-url", base() + "/token", "token-request-body",
                "grant_type=password&username={client-id}&password={client-secret}&refresh={refresh-token}",
                "client-id", "a=b&c", "client-secret", NASTY_SECRET, "token-response-refresh-token", "$.refresh");
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"AT1\",\"refresh\":\"RT1\"}")));

        assertEquals("Bearer AT1", authorize().headerValue());

        LoggedRequest r = only(server.findAll(postRequestedFor(urlPathEqualTo("/token"))));
        assertEquals(Map.of("grant_type", List.of("password"), "username", List.of("a=b&c"), "password",
                List.of(NASTY_SECRET), "refresh", List.of("")), URLUtils.parseParameters(r.getBodyAsString()));
        assertTrue(r.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded"));
    }

    @Test
    void aRefusedRequestIsTypedAndRepeatsNeitherTheBodyNorTheSecret() {
        custom("token-url", base() + "/token", "token-request-body", "key={client-secret}", "client-secret", NASTY_SECRET);
        server.stubFor(post("/token").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"bad_key\",\"message\":\"key s3c&grant_type=x unknown\"}")));

        TokenRequestRejectedException e = assertThrows(TokenRequestRejectedException.class, this::authorize);

        assertEquals("bad_key", e.errorCode().orElseThrow());
        assertFalse(e.getMessage().contains("unknown") || e.getMessage().contains("s3c"), e.getMessage());
    }

    @Test
    void anAnswerWithoutTheTokenAtTheConfiguredPlaceIsRejectedNamingTheKey() {
        custom("token-url", base() + "/token", "token-response-access-token", "$.data.jwt");
        server.stubFor(post("/token").willReturn(okJson("{\"data\":{\"other\":\"x\"}}")));

        InvalidTokenResponseException e = assertThrows(InvalidTokenResponseException.class, this::authorize);

        assertTrue(e.getMessage().contains("token-response-access-token"), e.getMessage());
    }

    @Test
    void configurationProblemsNameTheKey() {
        custom("token-url", base() + "/token", "token-placement", "query", "token-request-body", "k={value.missing}",
                "token-response-expires-in", "regex:no-group", "token-request-method", "GET");
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> ConnectionDefinitions.fromProperties(properties));
        String m = e.getMessage();
        assertTrue(m.contains("connection 'legacy': key 'token-placement': 'query' puts the token in URLs"), m);
        assertTrue(m.contains("key 'token-request-body': uses {value.missing}, but token-request-values entry"), m);
        assertTrue(m.contains("key 'token-response-expires-in': the regex must have exactly one group"), m);
        assertTrue(m.contains("key 'token-request-body': a GET request has no body"), m);
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
    void tokenInTheQueryWithTheOptInJoinsTheCallersQueryAndLeavesNoTrace() {
        custom("token-url", base() + "/token", "token-placement", "query", "allow-token-in-query", "true",
                "token-query-parameter", "auth");
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"Q+T/1\"}")));
        server.stubFor(get(urlPathEqualTo("/api/items")).willReturn(okJson("[]")));
        startCamel();

        Exchange done = camel.createProducerTemplate().request("oauth:legacy/items", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            e.getMessage().setHeader(Exchange.HTTP_QUERY, "limit=5");
        });

        assertNull(done.getException());
        LoggedRequest r = only(server.findAll(getRequestedFor(urlPathEqualTo("/api/items"))));
        assertEquals(Map.of("limit", List.of("5"), "auth", List.of("Q+T/1")),
                URLUtils.parseParameters(r.getUrl().substring(r.getUrl().indexOf('?') + 1)));
        assertNull(r.getHeader("Authorization"));
        assertEquals("limit=5", done.getMessage().getHeader(Exchange.HTTP_QUERY));
    }

    @Test
    void theWorkedExampleOfTheConfigurationFileRunsAgainstAStandIn() throws Exception {
        String prefix = "#oauth.connections.vault.";
        for (String line : Files.readAllLines(Path.of("application.properties.example"))) {
            if (line.startsWith(prefix)) {
                String[] kv = line.substring(1).split("=", 2);
                properties.put(kv[0].trim(), kv[1].trim().replace("https://myvault.veevavault.com", base())
                        .replace("${VAULT_USER}", "integration@example.com").replace("${VAULT_PASSWORD}", NASTY_SECRET));
            }
        }
        properties.put("oauth.connections.vault.allow-insecure", "true");
        server.stubFor(post("/api/v24.1/auth").willReturn(okJson("{\"responseStatus\":\"SUCCESS\",\"sessionId\":"
                + "\"3B3C45FD240E26F0\",\"userId\":12021,\"vaultId\":1776}")));
        engine = OAuthConnections.builder(ConnectionDefinitions.fromProperties(properties)).build();

        Token token = engine.tokenManager("vault").orElseThrow().currentToken();
        Authorization auth = engine.authorizer("vault").authorize();

        assertEquals("3B3C45FD240E26F0", token.value());
        assertEquals("Authorization", auth.headerName());
        assertEquals("3B3C45FD240E26F0", auth.headerValue(), "Vault wants the bare session id");
        LoggedRequest r = only(server.findAll(postRequestedFor(urlPathEqualTo("/api/v24.1/auth"))));
        assertEquals(Map.of("username", List.of("integration@example.com"), "password", List.of(NASTY_SECRET)),
                URLUtils.parseParameters(r.getBodyAsString()));
    }
}
