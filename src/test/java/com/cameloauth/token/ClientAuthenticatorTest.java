package com.cameloauth.token;

import static com.cameloauth.token.TokenEndpoint.token;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.token.grant.ClientCredentialsTokenGrant;
import com.cameloauth.token.grant.GrantContext;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/** Client authentication is asked for every token request, and each method puts the credentials where it should. */
class ClientAuthenticatorTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private final BoundedHttpSender sender = new BoundedHttpSender();

    @AfterEach
    void close() throws Exception {
        sender.close();
    }

    private LoggedRequest onlyRequest() {
        List<LoggedRequest> all = server.findAll(postRequestedFor(urlPathEqualTo(TestConnection.TOKEN_PATH)));
        assertEquals(1, all.size());
        return all.get(0);
    }

    private static Map<String, List<String>> form(LoggedRequest r) {
        return URLUtils.parseParameters(r.getBodyAsString());
    }

    private ConnectionDefinition connection(String clientAuth) {
        return TestConnection.onPort(server.getPort()).with("client-auth", clientAuth).definitions()
                .get(TestConnection.NAME);
    }

    private TokenEndpointClient client(ConnectionDefinition d, ClientAuthenticator authenticator) {
        return new TokenEndpointClient(d, new ClientCredentialsTokenGrant(), Clock.systemUTC(), sender, authenticator);
    }

    @Test
    void clientSecretBasicThenCredentialsInTheAuthorizationHeaderOnly() {
        new TokenEndpoint(server).answers(token("at-1", 300));
        ConnectionDefinition d = connection("client_secret_basic");
        client(d, ClientAuthenticator.of(d.oauthClient().orElseThrow())).requestToken();

        LoggedRequest r = onlyRequest();
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (TestConnection.CLIENT_ID + ":" + TestConnection.CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, r.getHeader("Authorization"));
        assertNull(form(r).get("client_secret"));
    }

    @Test
    void clientSecretPostThenCredentialsInTheBodyOnly() {
        new TokenEndpoint(server).answers(token("at-1", 300));
        ConnectionDefinition d = connection("client_secret_post");
        client(d, ClientAuthenticator.of(d.oauthClient().orElseThrow())).requestToken();

        LoggedRequest r = onlyRequest();
        assertNull(r.getHeader("Authorization"));
        assertEquals(List.of(TestConnection.CLIENT_ID), form(r).get("client_id"));
        assertEquals(List.of(TestConnection.CLIENT_SECRET), form(r).get("client_secret"));
        assertEquals(List.of("client_credentials"), form(r).get("grant_type"));
    }

    @Test
    void noneThenOnlyTheClientIdInTheBody() {
        new TokenEndpoint(server).answers(token("at-1", 300));
        client(connection("client_secret_basic"), ClientAuthenticator.none(new ClientID("public-app"))).requestToken();

        LoggedRequest r = onlyRequest();
        assertNull(r.getHeader("Authorization"));
        assertEquals(List.of("public-app"), form(r).get("client_id"));
        assertNull(form(r).get("client_secret"));
        assertEquals(List.of("client_credentials"), form(r).get("grant_type"));
    }

    @Test
    void everyTokenRequestAsksTheAuthenticatorAgain() {
        new TokenEndpoint(server).answers(token("at-1", 300));
        ConnectionDefinition d = connection("client_secret_post");
        ClientAuthenticator real = ClientAuthenticator.of(d.oauthClient().orElseThrow());
        List<URI> asked = new CopyOnWriteArrayList<>();
        TokenEndpointClient client = client(d, url -> {
            asked.add(url);
            return real.forRequest(url);
        });

        client.request(new ClientCredentialsGrant());
        client.request(new ClientCredentialsTokenGrant().next(GrantContext.initial(d, Clock.systemUTC().instant())));

        URI tokenUrl = d.oauthClient().orElseThrow().tokenUrl();
        assertEquals(List.of(tokenUrl, tokenUrl), asked, "once per request, with the token URL (an assertion's aud)");
    }
}
