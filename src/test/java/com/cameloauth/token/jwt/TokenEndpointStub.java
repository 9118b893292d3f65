package com.cameloauth.token.jwt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** A WireMock token endpoint that records what Nimbus's TokenRequest actually sent. */
final class TokenEndpointStub implements AutoCloseable {
    private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

    TokenEndpointStub() {
        server.start();
        server.stubFor(post(urlEqualTo("/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
    }

    URI tokenUrl() {
        return URI.create("http://127.0.0.1:" + server.port() + "/token");
    }

    /** Sends one token request and returns the form parameters the server received. */
    Map<String, List<String>> send(ClientAuthentication auth, AuthorizationGrant grant) throws Exception {
        TokenRequest request = auth == null ? new TokenRequest(tokenUrl(), grant, null)
                : new TokenRequest(tokenUrl(), auth, grant, null);
        HTTPResponse response = request.toHTTPRequest().send();
        if (response.getStatusCode() != 200) {
            throw new AssertionError("token endpoint answered " + response.getStatusCode());
        }
        var events = server.getAllServeEvents();
        return URLUtils.parseParameters(events.get(0).getRequest().getBodyAsString());
    }

    @Override
    public void close() {
        server.stop();
    }
}
