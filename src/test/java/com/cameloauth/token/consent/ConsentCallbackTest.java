package com.cameloauth.token.consent;

import static com.cameloauth.token.consent.ConsentFixture.CLIENT_SECRET;
import static com.cameloauth.token.consent.ConsentFixture.CONNECTION;
import static com.cameloauth.token.consent.ConsentFixture.ISSUER;
import static com.cameloauth.token.consent.ConsentFixture.REDIRECT_URI;
import static com.cameloauth.token.consent.ConsentFixture.TOKEN_PATH;
import static com.cameloauth.token.consent.ConsentFixture.assertRevealsNone;
import static com.cameloauth.token.consent.ConsentFixture.callback;
import static com.cameloauth.token.consent.ConsentFixture.request;
import static com.cameloauth.token.consent.ConsentFixture.state;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.cameloauth.connection.ClientAuthMethod;
import com.cameloauth.token.OAuthTokenException;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;

/**
 * SECURITY.md's callback faults and C1-C3, as a callback endpoint sees them: {@code complete} the callback, then
 * redeem what it returns at a WireMock token endpoint. Every refused callback leaves the token endpoint untouched.
 */
class ConsentCallbackTest {
    private static final String CODE = "SplxlOBeZQQYbYS6WxSbIA";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T10:00:00Z");
    private final PendingAuthorizations pending = new PendingAuthorizations(clock);
    private final AuthorizationCodeRedeemer redeemer = new AuthorizationCodeRedeemer(clock);
    private ConsentClient client;

    @BeforeEach
    void tokenEndpointIssuesTokens() {
        client = ConsentFixture.publicClient(server.getPort());
        server.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"at-1\",\"token_type\":\"bearer\",\"expires_in\":300,"
                        + "\"refresh_token\":\"rt-1\",\"scope\":\"openid contacts.read\"}")));
    }

    /** What the callback endpoint will do: check, then redeem. */
    private ConsentTokens onCallback(URI callback) {
        return redeemer.redeem(pending.complete(callback));
    }

    private int tokenRequests() {
        return server.countRequestsMatching(postRequestedFor(urlPathEqualTo(TOKEN_PATH)).build()).getCount();
    }

    @Test
    void callbackWithCodeStateAndIssuerRedeemsTheCodeWithTheVerifierOfItsTransaction() {
        URI url = pending.begin(client);

        ConsentTokens tokens = onCallback(callback("code", CODE, "state", state(url), "iss", ISSUER));

        assertEquals("at-1", tokens.accessToken().value());
        assertEquals(clock.instant().plusSeconds(300), tokens.accessToken().expiresAt());
        assertEquals("rt-1", tokens.refreshToken().orElseThrow().reveal());
        assertEquals(1, tokenRequests());
        server.verify(postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withFormParam("grant_type", equalTo("authorization_code"))
                .withFormParam("code", equalTo(CODE))
                .withFormParam("redirect_uri", equalTo(REDIRECT_URI.toString()))
                .withFormParam("client_id", equalTo("crm-app"))
                .withHeader("Authorization", absent()));
        String verifier = server.getAllServeEvents().get(0).getRequest().formParameters().get("code_verifier").firstValue();
        assertEquals(request(url).getCodeChallenge(), CodeChallenge.compute(CodeChallengeMethod.S256,
                new com.nimbusds.oauth2.sdk.pkce.CodeVerifier(verifier)), "the challenge is S256 of the verifier sent");
    }

    @Test
    void callbackWithoutIssIsAcceptedSinceTheServerNeedNotSendIt() {
        URI url = pending.begin(client);

        onCallback(callback("code", CODE, "state", state(url)));

        assertEquals(1, tokenRequests());
    }

    @Test
    void confidentialClientAuthenticatesWithBasic() {
        URI url = pending.begin(ConsentFixture.confidentialClient(server.getPort(), ClientAuthMethod.CLIENT_SECRET_BASIC));

        onCallback(callback("code", CODE, "state", state(url), "iss", ISSUER));

        String basic = "Basic " + Base64.getEncoder().encodeToString(("crm-app:" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        server.verify(postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withHeader("Authorization", equalTo(basic))
                .withFormParam("code", equalTo(CODE)).withFormParam("code_verifier", com.github.tomakehurst.wiremock
                        .client.WireMock.matching("[A-Za-z0-9_-]{43}")));
    }

    @Test
    void confidentialClientAuthenticatesWithPost() {
        URI url = pending.begin(ConsentFixture.confidentialClient(server.getPort(), ClientAuthMethod.CLIENT_SECRET_POST));

        onCallback(callback("code", CODE, "state", state(url)));

        server.verify(postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withHeader("Authorization", absent())
                .withFormParam("client_id", equalTo("crm-app")).withFormParam("client_secret", equalTo(CLIENT_SECRET)));
    }

    @Test
    void unknownStateIsRefusedAndNothingIsRedeemed() {
        pending.begin(client);
        String forged = "Zm9yZ2VkLXN0YXRlLXRoYXQtd2FzLW5ldmVyLWlzc3VlZA";

        var e = assertThrows(InvalidStateException.class, () -> onCallback(callback("code", CODE, "state", forged)));

        assertEquals(InvalidStateException.Reason.UNKNOWN, e.reason());
        assertNull(e.connection(), "an unknown state names no connection");
        assertTrue(e.getMessage().startsWith("OAuth consent callback: "), e.getMessage());
        assertInstanceOf(OAuthTokenException.class, e);
        assertRevealsNone(e, forged, CODE);
        assertEquals(0, tokenRequests());
    }

    @Test
    void reusedStateIsRefusedAndTheCodeIsNotRedeemedTwice() {
        URI url = pending.begin(client);
        URI callback = callback("code", CODE, "state", state(url));
        onCallback(callback);

        var e = assertThrows(InvalidStateException.class, () -> onCallback(callback));

        assertEquals(InvalidStateException.Reason.UNKNOWN, e.reason());
        assertRevealsNone(e, state(url), CODE);
        assertEquals(1, tokenRequests(), "only the first callback was redeemed");
    }

    @Test
    void stateExpiresAfterTenMinutesAndNothingIsRedeemed() {
        URI url = pending.begin(client);
        clock.advance(Duration.ofMinutes(10));

        var e = assertThrows(InvalidStateException.class, () -> onCallback(callback("code", CODE, "state", state(url))));

        assertEquals(InvalidStateException.Reason.EXPIRED, e.reason());
        assertEquals(CONNECTION, e.connection());
        assertTrue(e.getMessage().contains("10 min"), e.getMessage());
        assertRevealsNone(e, state(url), CODE);
        assertEquals(0, tokenRequests());
    }

    @Test
    void stateIsStillValidJustBeforeItExpires() {
        URI url = pending.begin(client);
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));

        onCallback(callback("code", CODE, "state", state(url)));

        assertEquals(1, tokenRequests());
    }

    @Test
    void callbackWithoutStateIsRefused() {
        pending.begin(client);

        var e = assertThrows(InvalidStateException.class, () -> onCallback(callback("code", CODE)));

        assertEquals(InvalidStateException.Reason.MISSING, e.reason());
        assertEquals(0, tokenRequests());
    }

    @Test
    void issuerMismatchIsRefusedBeforeTheCodeIsRedeemedAndConsumesTheTransaction() {
        URI url = pending.begin(client);
        String otherIssuer = "https://evil.example.net/realms/crm";

        var e = assertThrows(IssuerMismatchException.class,
                () -> onCallback(callback("code", CODE, "state", state(url), "iss", otherIssuer)));

        assertEquals(CONNECTION, e.connection());
        assertTrue(e.getMessage().contains(ISSUER) && e.getMessage().contains(otherIssuer), e.getMessage());
        assertRevealsNone(e, state(url), CODE);
        assertEquals(0, tokenRequests());
        var replay = assertThrows(InvalidStateException.class,
                () -> onCallback(callback("code", CODE, "state", state(url), "iss", ISSUER)));
        assertEquals(InvalidStateException.Reason.UNKNOWN, replay.reason(), "a refused callback used up its state");
        assertEquals(0, tokenRequests());
    }

    @Test
    void issuerMismatchWinsOverAnErrorResponse() {
        URI url = pending.begin(client);

        assertThrows(IssuerMismatchException.class, () -> onCallback(callback("error", "access_denied",
                "state", state(url), "iss", "https://evil.example.net")));
    }

    @Test
    void accessDeniedIsATypedErrorWithTheCodeAndAnEscapeSafeDescription() {
        URI url = pending.begin(client);

        var e = assertThrows(AuthorizationErrorException.class, () -> onCallback(callback("error", "access_denied",
                "error_description", "<script>alert('x')</script> \"user\" & co\r\nInjected: yes", "state", state(url),
                "iss", ISSUER)));

        assertTrue(e.isAccessDenied());
        assertEquals(Optional.of("access_denied"), e.errorCode());
        assertEquals(CONNECTION, e.connection());
        String description = e.errorDescription().orElseThrow();
        assertTrue(description.contains("script") && description.contains("user"), description);
        for (String markup : new String[] {"<", ">", "&", "\"", "'", "\r", "\n"}) {
            assertFalse(description.contains(markup), "description keeps " + markup + ": " + description);
        }
        String describedInMessage = e.getMessage().substring(e.getMessage().indexOf('('));
        for (String markup : new String[] {"<", ">", "&", "\"", "'", "\r", "\n"}) {
            assertFalse(describedInMessage.contains(markup), "message keeps " + markup + ": " + e.getMessage());
        }
        assertRevealsNone(e, state(url));
        assertEquals(0, tokenRequests());
    }

    @Test
    void otherErrorResponsesAreTypedToo() {
        URI url = pending.begin(client);

        var e = assertThrows(AuthorizationErrorException.class,
                () -> onCallback(callback("error", "invalid_scope", "state", state(url))));

        assertFalse(e.isAccessDenied());
        assertEquals(Optional.of("invalid_scope"), e.errorCode());
        assertEquals(0, tokenRequests());
    }

    @Test
    void callbackWithoutCodeIsRefused() {
        URI url = pending.begin(client);

        var e = assertThrows(InvalidCallbackException.class, () -> onCallback(callback("state", state(url), "iss", ISSUER)));

        assertEquals(CONNECTION, e.connection());
        assertRevealsNone(e, state(url));
        assertEquals(0, tokenRequests());
    }

    @Test
    void callbackWithAnEmptyCodeIsRefused() {
        URI url = pending.begin(client);

        assertThrows(InvalidCallbackException.class, () -> onCallback(callback("code", "", "state", state(url))));
        assertEquals(0, tokenRequests());
    }

    @Test
    void callbackThatRepeatsAParameterIsRefused() {
        URI url = pending.begin(client);

        var e = assertThrows(InvalidCallbackException.class,
                () -> onCallback(callback("code", CODE, "code", "other-code", "state", state(url))));

        assertRevealsNone(e, CODE, "other-code", state(url));
        assertEquals(0, tokenRequests());
    }

    @Test
    void callbackFromDecodedParametersIsCheckedTheSameWay() {
        URI url = pending.begin(client);

        assertThrows(IssuerMismatchException.class,
                () -> pending.complete(CODE, state(url), "https://evil.example.net", null, null));
        URI second = pending.begin(client);
        CompletedAuthorization done = pending.complete(CODE, state(second), ISSUER, null, null);

        assertEquals(CODE, done.code().getValue());
        assertEquals(REDIRECT_URI, done.redirectUri());
        assertEquals(CONNECTION, done.connection());
        assertRevealsNoneInToString(done, CODE, done.verifier().getValue());
    }

    private static void assertRevealsNoneInToString(Object o, String... values) {
        for (String v : values) {
            assertFalse(o.toString().contains(v), "toString repeats a protocol value: " + o.getClass().getSimpleName());
        }
    }
}
