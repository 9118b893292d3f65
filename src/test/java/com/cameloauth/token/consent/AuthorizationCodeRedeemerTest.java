package com.cameloauth.token.consent;

import static com.cameloauth.token.consent.ConsentFixture.CLIENT_SECRET;
import static com.cameloauth.token.consent.ConsentFixture.TOKEN_PATH;
import static com.cameloauth.token.consent.ConsentFixture.assertRevealsNone;
import static com.cameloauth.token.consent.ConsentFixture.callback;
import static com.cameloauth.token.consent.ConsentFixture.state;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.cameloauth.connection.ClientAuthMethod;
import com.cameloauth.token.InvalidClientException;
import com.cameloauth.token.InvalidTokenResponseException;
import com.cameloauth.token.TokenEndpointUnavailableException;
import com.cameloauth.token.TokenRequestRejectedException;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** The token request for a code, and what the token endpoint may answer to it. */
class AuthorizationCodeRedeemerTest {
    private static final String CODE = "c0de-9f2a71";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T10:00:00Z");
    private final PendingAuthorizations pending = new PendingAuthorizations(clock);
    private final AuthorizationCodeRedeemer redeemer = new AuthorizationCodeRedeemer(clock, Duration.ofSeconds(5),
            Duration.ofMinutes(7));

    private CompletedAuthorization completed(ConsentClient client) {
        URI url = pending.begin(client);
        return pending.complete(callback("code", CODE, "state", state(url)));
    }

    private CompletedAuthorization completed() {
        return completed(ConsentFixture.confidentialClient(server.getPort(), ClientAuthMethod.CLIENT_SECRET_BASIC));
    }

    private void tokenEndpointAnswers(ResponseDefinitionBuilder response) {
        server.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(response));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    @Test
    void tokensWithoutRefreshTokenOrExpiresInGetTheDefaultLifetime() {
        tokenEndpointAnswers(json(200, "{\"access_token\":\"at-2\",\"token_type\":\"Bearer\"}"));

        ConsentTokens tokens = redeemer.redeem(completed());

        assertEquals(Optional.empty(), tokens.refreshToken());
        assertEquals(clock.instant().plus(Duration.ofMinutes(7)), tokens.accessToken().expiresAt());
        assertEquals(List.of("contacts.read"), tokens.accessToken().scopes(), "the requested scopes when none came back");
        assertFalse(tokens.toString().contains("at-2"), tokens.toString());
    }

    @Test
    void invalidGrantIsARejectionThatSaysToStartAgainAndRepeatsNoCode() {
        tokenEndpointAnswers(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Code " + CODE
                + " not valid\"}"));
        CompletedAuthorization authorization = completed();

        var e = assertThrows(TokenRequestRejectedException.class, () -> redeemer.redeem(authorization));

        assertEquals(Optional.of("invalid_grant"), e.errorCode());
        assertEquals(400, e.httpStatus());
        assertEquals(ConsentFixture.CONNECTION, e.connection());
        assertTrue(e.getMessage().contains("start the consent again"), e.getMessage());
        assertRevealsNone(e, CODE, authorization.verifier().getValue(), CLIENT_SECRET);
    }

    @Test
    void unauthorizedClientIsAnInvalidClient() {
        tokenEndpointAnswers(json(401, "{\"error\":\"unauthorized_client\",\"error_description\":\"Invalid client or"
                + " Invalid client credentials\"}"));

        var e = assertThrows(InvalidClientException.class, () -> redeemer.redeem(completed()));

        assertEquals(401, e.httpStatus());
        assertRevealsNone(e, CLIENT_SECRET);
    }

    @Test
    void aRedirectIsNotFollowed() {
        tokenEndpointAnswers(aResponse().withStatus(302).withHeader("Location", server.baseUrl() + "/elsewhere"));
        server.stubFor(get(urlPathEqualTo("/elsewhere")).willReturn(json(200, "{}")));

        var e = assertThrows(InvalidTokenResponseException.class, () -> redeemer.redeem(completed()));

        assertEquals(302, e.httpStatus());
        server.verify(0, getRequestedFor(urlPathEqualTo("/elsewhere")));
    }

    @Test
    void anHtmlPageIsNotATokenResponseAndIsNotQuoted() {
        tokenEndpointAnswers(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                .withBody("<html>sign in at the portal</html>"));

        var e = assertThrows(InvalidTokenResponseException.class, () -> redeemer.redeem(completed()));

        assertFalse(e.getMessage().contains("portal"), e.getMessage());
    }

    @Test
    void aBodyOverOneMebibyteIsRefused() {
        tokenEndpointAnswers(json(200, "{\"access_token\":\"" + "a".repeat(AuthorizationCodeRedeemer.MAX_BODY_BYTES)
                + "\",\"token_type\":\"Bearer\"}"));

        assertThrows(InvalidTokenResponseException.class, () -> redeemer.redeem(completed()));
    }

    @Test
    void aServerErrorIsUnavailableAndRetryable() {
        tokenEndpointAnswers(aResponse().withStatus(503));

        var e = assertThrows(TokenEndpointUnavailableException.class, () -> redeemer.redeem(completed()));

        assertTrue(e.isRetryable());
        assertEquals(1, server.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount(), "no retry here");
    }

    @Test
    void aTokenTypeOtherThanBearerIsRefused() {
        tokenEndpointAnswers(json(200, "{\"access_token\":\"at\",\"token_type\":\"DPoP\"}"));

        assertThrows(InvalidTokenResponseException.class, () -> redeemer.redeem(completed()));
    }
}
