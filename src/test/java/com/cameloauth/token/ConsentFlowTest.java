package com.cameloauth.token;

import static com.cameloauth.token.TokenEndpoint.json;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.cameloauth.connection.ClientAuthMethod;
import com.cameloauth.connection.Secret;
import com.cameloauth.token.consent.ConsentClient;
import com.cameloauth.token.consent.InvalidStateException;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/**
 * Consent at the engine level, against a WireMock authorization server: begin, the browser's callback, the code
 * redeemed through the engine's token client, refresh with rotation, and invalid_grant back to NEEDS_CONSENT.
 */
class ConsentFlowTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private static final URI REDIRECT = URI.create("http://127.0.0.1/oauth/callback");
    private static final Duration PAST_EXPIRY = Duration.ofSeconds(301);

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final RecordingListener listener = new RecordingListener();
    private final CountingTokenStore store = new CountingTokenStore();
    private final TokenEndpoint endpoint = new TokenEndpoint(server);
    private OAuthConnections engine;

    @BeforeEach
    void start() {
        String base = "http://127.0.0.1:" + server.getPort();
        ConsentClient client = new ConsentClient(TestConnection.NAME, URI.create(base + "/authorize"),
                URI.create(base + TestConnection.TOKEN_PATH), TestConnection.CLIENT_ID,
                Optional.of(Secret.of(TestConnection.CLIENT_SECRET)), ClientAuthMethod.CLIENT_SECRET_BASIC, REDIRECT,
                List.of("read"), Optional.empty());
        engine = OAuthConnections.builder(TestConnection.onPort(server.getPort()).definitions()).clock(clock)
                .sleeper(new RecordingSleeper(clock)).executor(Runnable::run).store(store)
                .consent(TestConnection.NAME, client).build();
        engine.addListener(listener);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private TokenManager manager() {
        return engine.tokenManager(TestConnection.NAME).orElseThrow();
    }

    private static String tokens(String access, String refresh) {
        return "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"refresh_token\":\""
                + refresh + "\"}";
    }

    private List<Map<String, List<String>>> tokenRequests() {
        return server.findAll(postRequestedFor(urlPathEqualTo(TestConnection.TOKEN_PATH))).stream()
                .map(LoggedRequest::getBodyAsString).map(URLUtils::parseParameters).toList();
    }

    /** The callback the authorization server would send the browser to, for the consent begun at {@code url}. */
    private static URI callbackFor(URI url, String code) {
        String state = URLUtils.parseParameters(url.getRawQuery()).get("state").get(0);
        return URI.create(REDIRECT + "?code=" + code + "&state=" + state);
    }

    @Test
    void authorizeWhenNeverConsentedThenConsentRequiredFailFastWithoutARequest() {
        ConsentRequiredException e = assertThrows(ConsentRequiredException.class, manager()::authorize);
        assertThrows(ConsentRequiredException.class, manager()::authorize);

        assertTrue(e.getMessage().contains("GET /oauth/consent/" + TestConnection.NAME), e.getMessage());
        assertTrue(e.getMessage().contains("consent-url"), e.getMessage());
        assertTrue(e.isFailFast());
        assertFalse(e.isRetryable());
        assertTrue(e instanceof OAuthTokenException);
        assertEquals(ConnectionState.NEEDS_CONSENT, manager().state());
        assertEquals(0, endpoint.requests());
        assertEquals(1, listener.ofType(TokenEvent.Type.CONSENT_REQUIRED).size(), "reported once");
    }

    @Test
    void consentThenRefreshRotatesThenInvalidGrantNeedsConsentAgain() {
        endpoint.answersInTurn(json(200, tokens("at-1", "rt-1")), json(200, tokens("at-2", "rt-2")),
                json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token is not active\"}"));
        URI url = engine.beginConsent(TestConnection.NAME);
        Map<String, List<String>> query = URLUtils.parseParameters(url.getRawQuery());
        assertEquals(List.of("S256"), query.get("code_challenge_method"));
        assertEquals(List.of(TestConnection.CLIENT_ID), query.get("client_id"));

        Token consented = engine.completeConsent(callbackFor(url, "the-code"));

        assertEquals("at-1", consented.value());
        assertEquals("at-1", manager().currentToken().value());
        assertEquals(ConnectionState.ACTIVE, manager().state());
        assertEquals(1, listener.ofType(TokenEvent.Type.CONSENT_GRANTED).size());
        Map<String, List<String>> redeem = tokenRequests().get(0);
        assertEquals(List.of("authorization_code"), redeem.get("grant_type"));
        assertEquals(List.of("the-code"), redeem.get("code"));
        assertEquals(List.of(REDIRECT.toString()), redeem.get("redirect_uri"));
        assertEquals(43, redeem.get("code_verifier").get(0).length(), "the PKCE verifier of this transaction");

        clock.advance(PAST_EXPIRY);
        assertEquals("at-2", manager().currentToken().value());
        assertEquals(List.of("refresh_token"), tokenRequests().get(1).get("grant_type"));
        assertEquals(List.of("rt-1"), tokenRequests().get(1).get("refresh_token"));

        clock.advance(PAST_EXPIRY);
        ConsentRequiredException e = assertThrows(ConsentRequiredException.class, manager()::authorize);
        assertEquals(Optional.of("invalid_grant"), e.errorCode());
        assertEquals(List.of("rt-2"), tokenRequests().get(2).get("refresh_token"), "the rotated one");
        assertEquals(ConnectionState.NEEDS_CONSENT, manager().state());
        assertThrows(ConsentRequiredException.class, manager()::authorize);
        assertEquals(3, endpoint.requests(), "no retry, no loop: the next call fails fast");
        assertEquals(1, listener.ofType(TokenEvent.Type.REFRESH_TOKEN_REJECTED).size());
        assertEquals(1, listener.ofType(TokenEvent.Type.CONSENT_REQUIRED).size());
        listener.events().forEach(ev -> assertFalse(String.valueOf(ev).contains("rt-"), "no refresh token in " + ev));
        assertFalse(e.getMessage().contains("rt-2"));
    }

    @Test
    void consentAgainAfterNeedsConsentThenActive() {
        endpoint.answersInTurn(json(200, tokens("at-1", "rt-1")), json(400, "{\"error\":\"invalid_grant\"}"),
                json(200, tokens("at-3", "rt-3")));
        engine.completeConsent(callbackFor(engine.beginConsent(TestConnection.NAME), "code-1"));
        clock.advance(PAST_EXPIRY);
        assertThrows(ConsentRequiredException.class, manager()::authorize);

        engine.completeConsent(callbackFor(engine.beginConsent(TestConnection.NAME), "code-2"));

        assertEquals(ConnectionState.ACTIVE, manager().state());
        assertEquals("at-3", manager().currentToken().value());
        assertEquals(2, listener.ofType(TokenEvent.Type.CONSENT_GRANTED).size());
    }

    @Test
    void completeConsentWhenStateIsReusedThenRefusedAndNothingIsRedeemed() {
        endpoint.answers(json(200, tokens("at-1", "rt-1")));
        URI callback = callbackFor(engine.beginConsent(TestConnection.NAME), "the-code");
        engine.completeConsent(callback);

        assertThrows(InvalidStateException.class, () -> engine.completeConsent(callback));
        assertEquals(1, endpoint.requests());
    }

    @Test
    void beginConsentWhenTheConnectionTakesNoConsentThenSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.beginConsent("nope"));
        assertTrue(e.getMessage().contains("Unknown OAuth connection 'nope'"), e.getMessage());
    }
}
