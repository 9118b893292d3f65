package com.cameloauth.token.custom;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.cameloauth.component.OAuthComponent;
import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.token.ConnectionState;
import com.cameloauth.token.ConsentRequiredException;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenManager;
import com.cameloauth.testsupport.ReadmeExamples;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/**
 * Policy custom, three-legged: consent as for authorization-code (PKCE S256, state), the code redeemed through the
 * connection's own template, refreshes through the same template.
 */
class CustomThreeLeggedTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    static final String REDIRECT = "http://127.0.0.1:9/oauth/callback/partner-session";

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

    private void put(String key, String value) {
        properties.put("oauth.connections.partner-session." + key, value);
    }

    /** The README's three-legged example, as written, with its hosts pointed at the stub. */
    private void readmeExample() {
        properties.putAll(ReadmeExamples.block("## Custom token endpoints", "partner-session.authorization-url", Map.of(
                "https://api.partner.example/v2", base() + "/api",
                "https://login.partner.example", base(),
                "https://integrations.example.com/oauth/callback/partner-session", REDIRECT,
                "${PARTNER_APP_ID}", "legacy-app",
                "${PARTNER_APP_SECRET}", "legacy-secret")));
        put("allow-insecure", "true");
    }

    private List<LoggedRequest> templateRequests() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/session")));
    }

    @Test
    void consentRedeemsTheCodeThroughTheTemplateAndRefreshesThroughItToo() throws Exception {
        readmeExample();
        server.stubFor(post("/session").withRequestBody(matchingJsonPath("$.code", equalTo("code-123")))
                .willReturn(okJson("{\"session\":{\"token\":\"tok-one\",\"ttl\":600,\"renewal\":\"renew-one\"}}")));
        server.stubFor(post("/session").withRequestBody(matchingJsonPath("$.renewal", equalTo("renew-one")))
                .willReturn(okJson("{\"session\":{\"token\":\"tok-two\",\"ttl\":600}}")));
        server.stubFor(get("/api/orders").willReturn(okJson("[]")));
        engine = OAuthConnections.builder(ConnectionDefinitions.fromProperties(properties)).build();
        TokenManager manager = engine.tokenManager("partner-session").orElseThrow();

        // before consent: no token request, a clear state
        assertTrue(engine.takesConsent("partner-session"));
        assertThrows(ConsentRequiredException.class, () -> engine.authorizer("partner-session").authorize());
        assertEquals(ConnectionState.NEEDS_CONSENT, manager.state());
        assertEquals(0, templateRequests().size());

        // the consent URL: authorization code with PKCE S256 and a state
        URI consent = engine.beginConsent("partner-session");
        assertTrue(consent.toString().startsWith(base() + "/authorize?"), consent.toString());
        Map<String, List<String>> query = URLUtils.parseParameters(consent.getRawQuery());
        assertEquals(List.of("code"), query.get("response_type"));
        assertEquals(List.of("legacy-app"), query.get("client_id"));
        assertEquals(List.of(REDIRECT), query.get("redirect_uri"));
        assertEquals(List.of("orders.read"), query.get("scope"));
        assertEquals(List.of("S256"), query.get("code_challenge_method"));
        String state = query.get("state").get(0);
        String challenge = query.get("code_challenge").get(0);

        // the callback: the code is redeemed with the template, the verifier and the redirect URI
        Token first = engine.completeConsent(URI.create(REDIRECT + "?code=code-123&state=" + state));
        assertEquals("tok-one", first.value());
        assertEquals(ConnectionState.ACTIVE, manager.state());
        LoggedRequest redeem = templateRequests().get(0);
        JsonNode sent = new ObjectMapper().readTree(redeem.getBodyAsString());
        assertEquals("legacy-app", sent.get("app").asText());
        assertEquals("legacy-secret", sent.get("key").asText());
        assertEquals("code-123", sent.get("code").asText());
        assertEquals(REDIRECT, sent.get("callback").asText());
        assertEquals("", sent.get("renewal").asText());
        String verifier = sent.get("verifier").asText();
        assertEquals(challenge, CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue(),
                "the verifier sent matches the challenge of the consent URL");

        // a call with the token
        camel = new DefaultCamelContext();
        camel.addComponent("oauth", new OAuthComponent(engine));
        camel.start();
        Exchange call = camel.createProducerTemplate().request("oauth:partner-session/orders",
                e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
        assertNull(call.getException());
        server.verify(1, getRequestedFor(urlPathEqualTo("/api/orders")).withHeader("Authorization",
                equalTo("Bearer tok-one")));

        // a refresh: the same template with the refresh token, no code
        Token second = manager.refresh();
        assertEquals("tok-two", second.value());
        assertEquals(2, templateRequests().size());
        JsonNode refresh = new ObjectMapper().readTree(templateRequests().get(1).getBodyAsString());
        assertEquals("renew-one", refresh.get("renewal").asText());
        assertEquals("", refresh.get("code").asText());
        assertEquals("", refresh.get("verifier").asText());
    }

    @Test
    void aRefusedRefreshDropsTheRefreshTokenAndAsksForConsentAgainWithoutARetryLoop() throws Exception {
        readmeExample();
        server.stubFor(post("/session").withRequestBody(matchingJsonPath("$.code", equalTo("code-123")))
                .willReturn(okJson("{\"session\":{\"token\":\"tok-one\",\"ttl\":600,\"renewal\":\"renew-one\"}}")));
        server.stubFor(post("/session").withRequestBody(matchingJsonPath("$.renewal", equalTo("renew-one")))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(400)
                        .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_grant\"}")));
        engine = OAuthConnections.builder(ConnectionDefinitions.fromProperties(properties)).build();
        TokenManager manager = engine.tokenManager("partner-session").orElseThrow();
        URI consent = engine.beginConsent("partner-session");
        String state = URLUtils.parseParameters(consent.getRawQuery()).get("state").get(0);
        engine.completeConsent(URI.create(REDIRECT + "?code=code-123&state=" + state));

        // the provider revoked the grant: invalid_grant to the refresh; the user must consent again
        assertThrows(ConsentRequiredException.class, manager::refresh);
        // the refused refresh token was dropped: asking again needs a new consent, and sends nothing
        assertThrows(ConsentRequiredException.class, manager::refresh);
        assertEquals(2, templateRequests().size(), "the code, one refresh; no retry of a refused refresh token");
    }
}
