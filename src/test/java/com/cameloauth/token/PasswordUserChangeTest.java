package com.cameloauth.token;

import static com.cameloauth.token.TokenEndpoint.json;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.connection.Secret;
import com.cameloauth.connection.StoreSettings;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/**
 * Policy {@code password} with the encrypted file store across restarts: the stored tokens belong to the configured
 * user. When the configuration names another user, that user's password grant runs; the previous user's stored
 * tokens are not used for them.
 */
class PasswordUserChangeTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private static final String NAME = TestConnection.NAME;

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final TokenEndpoint endpoint = new TokenEndpoint(server);
    private OAuthConnections engine;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private OAuthConnections start(String username) {
        String base = "http://127.0.0.1:" + server.getPort();
        Map<String, String> p = new LinkedHashMap<>();
        String prefix = "oauth.connections." + NAME + ".";
        p.put(prefix + "policy", "password");
        p.put(prefix + "base-url", base + "/api");
        p.put(prefix + "token-url", base + TestConnection.TOKEN_PATH);
        p.put(prefix + "client-id", TestConnection.CLIENT_ID);
        p.put(prefix + "client-secret", TestConnection.CLIENT_SECRET);
        p.put(prefix + "allow-insecure", "true");
        p.put(prefix + "username", username);
        p.put(prefix + "password", username + "-password");
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 5);
        StoreSettings store = new StoreSettings(StoreSettings.Type.FILE, Optional.of(dir.resolve("tokens.store")),
                Optional.of(Secret.of(Base64.getEncoder().encodeToString(key))));
        return OAuthConnections.builder(ConnectionDefinitions.fromProperties(p)).store(store).clock(clock)
                .sleeper(new RecordingSleeper(clock)).executor(Runnable::run).build();
    }

    private static String tokens(String access, String refresh) {
        return "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"refresh_token\":\""
                + refresh + "\"}";
    }

    private Map<String, List<String>> form(int request) {
        var requests = server.findAll(postRequestedFor(urlPathEqualTo(TestConnection.TOKEN_PATH)));
        return URLUtils.parseParameters(requests.get(request).getBodyAsString());
    }

    @Test
    void anotherConfiguredUserGetsTheirOwnTokensNotTheStoredOnesOfThePreviousUser() {
        endpoint.answersInTurn(json(200, tokens("at-alice", "rt-alice")), json(200, tokens("at-bob", "rt-bob")));
        engine = start("alice");
        assertEquals("at-alice", engine.tokenManager(NAME).orElseThrow().authorize().token().value());
        engine.close();

        engine = start("bob"); // the configuration now names another resource owner
        assertEquals("at-bob", engine.tokenManager(NAME).orElseThrow().authorize().token().value(),
                "alice's stored token must not be used for bob");
        assertEquals(2, endpoint.requests());
        assertEquals(List.of("password"), form(1).get("grant_type"));
        assertEquals(List.of("bob"), form(1).get("username"));
    }

    @Test
    void theSameUserAfterARestartKeepsTheStoredToken() {
        endpoint.answersInTurn(json(200, tokens("at-alice", "rt-alice")));
        engine = start("alice");
        assertEquals("at-alice", engine.tokenManager(NAME).orElseThrow().authorize().token().value());
        engine.close();

        engine = start("alice");
        assertEquals("at-alice", engine.tokenManager(NAME).orElseThrow().authorize().token().value());
        assertEquals(1, endpoint.requests(), "no new password grant after a restart");
    }
}
