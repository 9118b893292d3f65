package com.cameloauth.token;

import static com.cameloauth.token.TokenEndpoint.token;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.cameloauth.token.discovery.DiscoveryException;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/**
 * Connections whose endpoints come from the issuer's metadata, end to end from configuration keys: the engine reads
 * the metadata through its bounded sender on first use, keeps it, and a configured URL wins over a discovered one.
 */
class DiscoveryEngineTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private static final String WELL_KNOWN = "/.well-known/openid-configuration";

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final RecordingListener listener = new RecordingListener();
    private OAuthConnections engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private String metadata(String issuer, String tokenPath) {
        return "{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"" + base() + tokenPath
                + "\",\"authorization_endpoint\":\"" + base() + "/authorize\",\"revocation_endpoint\":\"" + base()
                + "/revoke\",\"introspection_endpoint\":\"" + base() + "/introspect\"}";
    }

    /** A client-credentials connection with only the issuer (token-url unset). */
    private TestConnection issuerOnly() {
        return TestConnection.onPort(server.getPort()).with("token-url", "").with("issuer", base())
                .with("max-attempts", "1");
    }

    private OAuthConnections start(TestConnection c) {
        engine = c.engine(clock, new RecordingSleeper(clock), Runnable::run, listener);
        return engine;
    }

    private int count(com.github.tomakehurst.wiremock.matching.RequestPatternBuilder p) {
        return server.countRequestsMatching(p.build()).getCount();
    }

    @Test
    void tokenWhenOnlyIssuerConfiguredThenTokenEndpointDiscoveredAndMetadataReadOnce() {
        server.stubFor(get(WELL_KNOWN).willReturn(okJson(metadata(base(), "/discovered-token"))));
        server.stubFor(post("/discovered-token").willReturn(token("at-1", 300)));
        start(issuerOnly());

        assertEquals("at-1", engine.tokenManager(TestConnection.NAME).orElseThrow().currentToken().value());
        engine.tokenManager(TestConnection.NAME).orElseThrow().refresh();

        assertEquals(2, count(postRequestedFor(urlPathEqualTo("/discovered-token"))));
        assertEquals(1, count(getRequestedFor(urlPathEqualTo(WELL_KNOWN))), "the metadata is kept");
    }

    @Test
    void tokenWhenTokenUrlAlsoConfiguredThenConfiguredUrlWins() {
        server.stubFor(get(WELL_KNOWN).willReturn(okJson(metadata(base(), "/discovered-token"))));
        server.stubFor(post(TestConnection.TOKEN_PATH).willReturn(token("at-configured", 300)));
        start(TestConnection.onPort(server.getPort()).with("issuer", base()));

        assertEquals("at-configured", engine.tokenManager(TestConnection.NAME).orElseThrow().currentToken().value());

        assertEquals(0, count(postRequestedFor(urlPathEqualTo("/discovered-token"))));
        assertEquals(0, count(getRequestedFor(urlPathEqualTo(WELL_KNOWN))), "nothing to discover for a token");
    }

    @Test
    void tokenWhenMetadataNamesAnotherIssuerThenFailedWithBothValuesAndNoTokenRequest() {
        server.stubFor(get(WELL_KNOWN).willReturn(okJson(metadata(base() + "/", "/discovered-token"))));
        server.stubFor(post("/discovered-token").willReturn(token("at-1", 300)));
        start(issuerOnly());
        TokenManager manager = engine.tokenManager(TestConnection.NAME).orElseThrow();

        DiscoveryException e = assertThrows(DiscoveryException.class, manager::currentToken);

        assertTrue(e.getMessage().contains("'" + base() + "/'") && e.getMessage().contains("'" + base() + "'"),
                e.getMessage());
        assertEquals(ConnectionState.FAILED, manager.state());
        assertEquals(0, count(postRequestedFor(urlPathEqualTo("/discovered-token"))));
    }

    @Test
    void tokenWhenMetadataBodyIsHugeThenNotReadPastTheCap() {
        server.stubFor(get(WELL_KNOWN).willReturn(aResponse().withStatus(200).withHeader("Content-Type",
                "application/json").withBody("{\"issuer\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}")));
        start(issuerOnly());

        TokenEndpointUnavailableException e = assertThrows(TokenEndpointUnavailableException.class,
                () -> engine.tokenManager(TestConnection.NAME).orElseThrow().currentToken());

        assertTrue(e.getMessage().contains("larger than " + (1024 * 1024) + " bytes"), e.getMessage());
    }

    @Test
    void tokenWhenMetadataFailedThenReadAgainAfterMinFetchInterval() {
        server.stubFor(get(WELL_KNOWN).inScenario("m").whenScenarioStateIs(
                com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED).willReturn(aResponse().withStatus(500))
                .willSetStateTo("up"));
        server.stubFor(get(WELL_KNOWN).inScenario("m").whenScenarioStateIs("up")
                .willReturn(okJson(metadata(base(), "/discovered-token"))));
        server.stubFor(post("/discovered-token").willReturn(token("at-1", 300)));
        start(issuerOnly().with("circuit-failure-threshold", "100"));
        TokenManager manager = engine.tokenManager(TestConnection.NAME).orElseThrow();
        assertThrows(TokenEndpointUnavailableException.class, manager::currentToken);
        assertThrows(TokenEndpointUnavailableException.class, manager::currentToken);
        assertEquals(1, count(getRequestedFor(urlPathEqualTo(WELL_KNOWN))), "not asked again within min-fetch-interval");

        clock.advance(java.time.Duration.ofSeconds(1));

        assertEquals("at-1", manager.currentToken().value());
        assertEquals(2, count(getRequestedFor(urlPathEqualTo(WELL_KNOWN))));
    }

    @Test
    void consentWhenAuthorizationEndpointLeftToDiscoveryThenBrowserSentToDiscoveredEndpoint() {
        server.stubFor(get(WELL_KNOWN).willReturn(okJson(metadata(base(), "/discovered-token"))));
        start(TestConnection.onPort(server.getPort()).with("policy", "authorization-code").with("token-url", "")
                .with("issuer", base()).with("redirect-uri", "http://127.0.0.1/oauth/callback"));

        assertTrue(engine.takesConsent(TestConnection.NAME));
        URI url = engine.beginConsent(TestConnection.NAME);

        assertTrue(url.toString().startsWith(base() + "/authorize?"), url.toString());
        Map<String, List<String>> query = URLUtils.parseParameters(url.getRawQuery());
        assertEquals(List.of(TestConnection.CLIENT_ID), query.get("client_id"));
    }

    @Test
    void revokeWhenRevocationEndpointDiscoveredThenUsed() {
        server.stubFor(get(WELL_KNOWN).willReturn(okJson(metadata(base(), TestConnection.TOKEN_PATH))));
        server.stubFor(post(TestConnection.TOKEN_PATH).willReturn(token("at-1", 300)));
        server.stubFor(post("/revoke").willReturn(aResponse().withStatus(200)));
        start(TestConnection.onPort(server.getPort()).with("issuer", base()));
        engine.tokenManager(TestConnection.NAME).orElseThrow().currentToken();

        RevocationResult r = engine.revoke(TestConnection.NAME);

        assertEquals(List.of("access_token"), r.revoked());
        assertTrue(r.serverSide());
        assertEquals(1, count(postRequestedFor(urlPathEqualTo("/revoke"))));
    }

    @Test
    void tokenExchangeWithOnlyTheIssuerThenBothConnectionsUseTheDiscoveredTokenEndpoint() {
        server.stubFor(get(WELL_KNOWN).willReturn(okJson(metadata(base(), "/discovered-token"))));
        server.stubFor(post("/discovered-token").withRequestBody(com.github.tomakehurst.wiremock.client.WireMock
                .containing("grant_type=client_credentials")).willReturn(token("at-subject", 300)));
        server.stubFor(post("/discovered-token").withRequestBody(com.github.tomakehurst.wiremock.client.WireMock
                .containing("token-exchange")).willReturn(token("at-exchanged", 300)));
        Map<String, String> p = new java.util.LinkedHashMap<>();
        for (String name : List.of("subject", "partner")) {
            String prefix = "oauth.connections." + name + ".";
            p.put(prefix + "base-url", base() + "/api");
            p.put(prefix + "issuer", base());
            p.put(prefix + "client-id", name + "-client");
            p.put(prefix + "client-secret", name + "-secret");
            p.put(prefix + "allow-insecure", "true");
        }
        p.put("oauth.connections.subject.policy", "client-credentials");
        p.put("oauth.connections.partner.policy", "token-exchange");
        p.put("oauth.connections.partner.subject-connection", "subject");
        engine = OAuthConnections.builder(com.cameloauth.connection.ConnectionDefinitions.fromProperties(p)).clock(clock)
                .sleeper(new RecordingSleeper(clock)).executor(Runnable::run).build();

        assertEquals("at-exchanged", engine.tokenManager("partner").orElseThrow().currentToken().value());
        assertEquals(2, count(postRequestedFor(urlPathEqualTo("/discovered-token"))));
        assertEquals(1, server.findAll(postRequestedFor(urlPathEqualTo("/discovered-token"))).stream()
                .filter(r -> r.getBodyAsString().contains("subject_token=at-subject")).count(),
                "the subject connection's token, exchanged at the discovered endpoint");
    }
}
