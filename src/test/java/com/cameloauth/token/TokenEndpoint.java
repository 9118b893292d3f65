package com.cameloauth.token;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

/** Stubs for the WireMock token endpoint at {@link TestConnection#TOKEN_PATH}. */
final class TokenEndpoint {
    private static final String SCENARIO = "token endpoint";

    private final WireMockExtension server;

    TokenEndpoint(WireMockExtension server) {
        this.server = server;
    }

    static String tokenJson(String accessToken, long expiresIn) {
        return "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}";
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    static ResponseDefinitionBuilder token(String accessToken, long expiresIn) {
        return json(200, tokenJson(accessToken, expiresIn));
    }

    /** Always answers with this response. */
    void answers(ResponseDefinitionBuilder response) {
        server.stubFor(post(urlPathEqualTo(TestConnection.TOKEN_PATH)).willReturn(response));
    }

    /** Answers each request with the next response; the last one repeats. */
    void answersInTurn(ResponseDefinitionBuilder... responses) {
        for (int i = 0; i < responses.length; i++) {
            String state = i == 0 ? Scenario.STARTED : "request " + (i + 1);
            var mapping = post(urlPathEqualTo(TestConnection.TOKEN_PATH)).inScenario(SCENARIO).whenScenarioStateIs(state)
                    .willReturn(responses[i]);
            if (i + 1 < responses.length) {
                mapping = mapping.willSetStateTo("request " + (i + 2));
            }
            server.stubFor(mapping);
        }
    }

    /** How many token requests the server received. */
    int requests() {
        return server.countRequestsMatching(postRequestedFor(urlPathEqualTo(TestConnection.TOKEN_PATH)).build()).getCount();
    }
}
