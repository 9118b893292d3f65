package com.cameloauth.token;

import static com.cameloauth.token.TokenEndpoint.json;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/**
 * Revocation (RFC 7009) and introspection (RFC 7662) as the authorization server sees them: the refresh token is
 * revoked before the access token, the local token set is dropped whatever the server says, authorization-code
 * connections need consent again, and no token ever comes back in an introspection result or an event.
 */
class RevokeIntrospectTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private static final String REVOKE = "/revoke";
    private static final String INTROSPECT = "/introspect";
    private static final URI REDIRECT = URI.create("http://127.0.0.1/oauth/callback");

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final RecordingListener listener = new RecordingListener();
    private final TokenEndpoint endpoint = new TokenEndpoint(server);
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

    private static String tokens(String access, String refresh) {
        return "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"refresh_token\":\""
                + refresh + "\"}";
    }

    private TestConnection connection() {
        return TestConnection.onPort(server.getPort()).with("revocation-url", base() + REVOKE)
                .with("introspection-url", base() + INTROSPECT).with("max-attempts", "1");
    }

    private OAuthConnections start(TestConnection c) {
        engine = c.engine(clock, new RecordingSleeper(clock), Runnable::run, listener);
        return engine;
    }

    private TokenManager manager() {
        return engine.tokenManager(TestConnection.NAME).orElseThrow();
    }

    private List<LoggedRequest> revocations() {
        return server.findAll(postRequestedFor(urlPathEqualTo(REVOKE)));
    }

    private static Map<String, List<String>> form(LoggedRequest r) {
        return URLUtils.parseParameters(r.getBodyAsString());
    }

    @Test
    void revokeWhenRefreshTokenHeldThenRefreshTokenRevokedFirstThenAccessTokenThenDroppedHere() {
        endpoint.answersInTurn(json(200, tokens("at-1", "rt-1")), json(200, tokens("at-2", "rt-2")));
        server.stubFor(post(REVOKE).willReturn(aResponse().withStatus(200)));
        start(connection());
        manager().currentToken();

        RevocationResult r = engine.revoke(TestConnection.NAME);

        List<LoggedRequest> sent = revocations();
        assertEquals(2, sent.size());
        assertEquals(List.of("rt-1"), form(sent.get(0)).get("token"));
        assertEquals(List.of("refresh_token"), form(sent.get(0)).get("token_type_hint"));
        assertEquals(List.of("at-1"), form(sent.get(1)).get("token"));
        assertEquals(List.of("access_token"), form(sent.get(1)).get("token_type_hint"));
        assertTrue(sent.get(0).getHeader("Authorization").startsWith("Basic "), "the connection's client authentication");
        assertEquals(List.of("refresh_token", "access_token"), r.revoked());
        assertTrue(r.failures().isEmpty());
        assertEquals(ConnectionState.EXPIRED, r.state(), "client-credentials: ready to fetch a new token");
        assertEquals(1, listener.ofType(TokenEvent.Type.REVOKED).size());
        assertEquals("at-2", manager().currentToken().value(), "the stored set is gone: a new token, not a refresh");
        assertEquals(List.of("client_credentials"), form(server.findAll(postRequestedFor(urlPathEqualTo(
                TestConnection.TOKEN_PATH))).get(1)).get("grant_type"));
    }

    @Test
    void revokeWhenServerAnswers503ThenReportedAndLocalTokenDroppedAnyway() {
        endpoint.answersInTurn(json(200, tokens("at-1", "rt-1")), json(200, tokens("at-2", "rt-2")));
        server.stubFor(post(REVOKE).willReturn(aResponse().withStatus(503)));
        start(connection());
        manager().currentToken();

        RevocationResult r = engine.revoke(TestConnection.NAME);

        assertEquals(List.of(), r.revoked());
        assertEquals(2, r.failures().size(), r.failures().toString());
        assertTrue(r.failures().get(0).startsWith("refresh_token: ") && r.failures().get(0).contains("HTTP 503"),
                r.failures().toString());
        assertFalse(r.failures().toString().contains("rt-1") || r.failures().toString().contains("at-1"));
        assertTrue(manager().cachedToken().isEmpty());
        assertEquals("at-2", manager().currentToken().value());
    }

    @Test
    void revokeWhenRefreshTokenTypeUnsupportedThenReportedAndAccessTokenStillRevoked() {
        endpoint.answers(json(200, tokens("at-1", "rt-1")));
        server.stubFor(post(REVOKE).withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(
                "token_type_hint=refresh_token")).willReturn(json(400, "{\"error\":\"unsupported_token_type\"}")));
        server.stubFor(post(REVOKE).withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(
                "token_type_hint=access_token")).willReturn(aResponse().withStatus(200)));
        start(connection());
        manager().currentToken();

        RevocationResult r = engine.revoke(TestConnection.NAME);

        assertEquals(List.of("access_token"), r.revoked());
        assertEquals(1, r.failures().size());
        assertTrue(r.failures().get(0).contains("error=unsupported_token_type"), r.failures().toString());
    }

    @Test
    void revokeWhenNoRevocationEndpointThenDroppedHereOnly() {
        endpoint.answers(json(200, tokens("at-1", "rt-1")));
        start(TestConnection.onPort(server.getPort()));
        manager().currentToken();

        RevocationResult r = engine.revoke(TestConnection.NAME);

        assertFalse(r.serverSide());
        assertEquals(0, revocations().size());
        assertTrue(manager().cachedToken().isEmpty());
        assertEquals(1, listener.ofType(TokenEvent.Type.REVOKED).size());
    }

    @Test
    void revokeWhenAuthorizationCodeThenNeedsConsentAndNoTokenRequest() {
        endpoint.answers(json(200, tokens("at-1", "rt-1")));
        server.stubFor(post(REVOKE).willReturn(aResponse().withStatus(200)));
        start(connection().with("policy", "authorization-code").with("authorization-url", base() + "/authorize")
                .with("redirect-uri", REDIRECT.toString()));
        URI url = engine.beginConsent(TestConnection.NAME);
        String state = URLUtils.parseParameters(url.getRawQuery()).get("state").get(0);
        engine.completeConsent(URI.create(REDIRECT + "?code=c1&state=" + state));
        assertEquals(ConnectionState.ACTIVE, manager().state());

        RevocationResult r = engine.revoke(TestConnection.NAME);

        assertEquals(List.of("refresh_token", "access_token"), r.revoked());
        assertEquals(ConnectionState.NEEDS_CONSENT, r.state());
        assertEquals(ConnectionState.NEEDS_CONSENT, manager().state());
        assertEquals(1, listener.ofType(TokenEvent.Type.CONSENT_REQUIRED).size());
        assertThrows(ConsentRequiredException.class, manager()::currentToken);
        assertEquals(1, endpoint.requests(), "only the code was redeemed; nothing after the revocation");
    }

    @Test
    void introspectWhenServerEchoesTheTokenThenResultHoldsNoToken() {
        endpoint.answers(json(200, tokens("at-secret-1", "rt-1")));
        server.stubFor(post(INTROSPECT).willReturn(json(200, "{\"active\":true,\"scope\":\"read\",\"client_id\":"
                + "\"orders-client\",\"exp\":1767226000,\"token\":\"at-secret-1\",\"access_token\":\"at-secret-1\","
                + "\"note\":\"you sent at-secret-1\"}")));
        start(connection());

        IntrospectionResult r = engine.introspect(TestConnection.NAME);

        assertTrue(r.active());
        assertEquals("read", r.claims().get("scope"));
        assertEquals("orders-client", r.claims().get("client_id"));
        assertFalse(String.valueOf(r.claims()).contains("at-secret-1"), String.valueOf(r.claims()));
        assertFalse(String.valueOf(r).contains("at-secret-1"));
        assertFalse(listener.events().toString().contains("at-secret-1"));
        LoggedRequest sent = server.findAll(postRequestedFor(urlPathEqualTo(INTROSPECT))).get(0);
        assertEquals(List.of("at-secret-1"), form(sent).get("token"));
        assertTrue(sent.getHeader("Authorization").startsWith("Basic "));
    }

    @Test
    void introspectWhenAnswerHasNoActiveThenRefused() {
        endpoint.answers(json(200, tokens("at-1", "rt-1")));
        server.stubFor(post(INTROSPECT).willReturn(json(200, "{\"scope\":\"read\"}")));
        start(connection());

        assertThrows(InvalidTokenResponseException.class, () -> engine.introspect(TestConnection.NAME));
    }

    @Test
    void introspectWhenNoEndpointThenErrorNamesTheKeys() {
        start(TestConnection.onPort(server.getPort()));

        OAuthTokenException e = assertThrows(OAuthTokenException.class, () -> engine.introspect(TestConnection.NAME));

        assertTrue(e.getMessage().contains("introspection-url"), e.getMessage());
        assertEquals(0, endpoint.requests());
    }
}
