package com.cameloauth.token;

import static com.cameloauth.token.TokenEndpoint.json;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Policy {@code refresh-token} with the encrypted file store across restarts: the refresh token the engine rotated
 * and stored wins over the configured one it was seeded from, until the user configures a different refresh token
 * (the provider handed out a new one): then the configured one wins, and the old access token is not used either.
 */
class ConfiguredRefreshTokenChangeTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private static final String NAME = TestConnection.NAME;
    private static final String FIRST_RT = "rt-configured-first-Hq3";
    private static final String NEW_RT = "rt-configured-new-Zw9";
    private static final Duration PAST_EXPIRY = Duration.ofSeconds(301);

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

    private OAuthConnections start(String configuredRefreshToken) {
        String base = "http://127.0.0.1:" + server.getPort();
        Map<String, String> p = new LinkedHashMap<>();
        String prefix = "oauth.connections." + NAME + ".";
        p.put(prefix + "policy", "refresh-token");
        p.put(prefix + "base-url", base + "/api");
        p.put(prefix + "token-url", base + TestConnection.TOKEN_PATH);
        p.put(prefix + "client-id", TestConnection.CLIENT_ID);
        p.put(prefix + "client-secret", TestConnection.CLIENT_SECRET);
        p.put(prefix + "allow-insecure", "true");
        p.put(prefix + "refresh-token", configuredRefreshToken);
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 3);
        StoreSettings store = new StoreSettings(StoreSettings.Type.FILE, Optional.of(storeFile()),
                Optional.of(Secret.of(Base64.getEncoder().encodeToString(key))));
        return OAuthConnections.builder(ConnectionDefinitions.fromProperties(p)).store(store).clock(clock)
                .sleeper(new RecordingSleeper(clock)).executor(Runnable::run).build();
    }

    private Path storeFile() {
        return dir.resolve("tokens.store");
    }

    private TokenManager manager() {
        return engine.tokenManager(NAME).orElseThrow();
    }

    private static String tokens(String access, String refresh) {
        return "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"refresh_token\":\""
                + refresh + "\"}";
    }

    private String refreshTokenSent(int request) {
        var requests = server.findAll(postRequestedFor(urlPathEqualTo(TestConnection.TOKEN_PATH)));
        Map<String, List<String>> form = URLUtils.parseParameters(requests.get(request).getBodyAsString());
        assertEquals(List.of("refresh_token"), form.get("grant_type"));
        return form.get("refresh_token").get(0);
    }

    @Test
    void restartWithTheSameConfiguredRefreshTokenKeepsUsingTheRotatedOne() {
        endpoint.answersInTurn(json(200, tokens("at-1", "rt-rotated-1")), json(200, tokens("at-2", "rt-rotated-2")));
        engine = start(FIRST_RT);
        assertEquals("at-1", manager().authorize().token().value());
        engine.close();

        engine = start(FIRST_RT); // a restart, configuration unchanged
        assertEquals("at-1", manager().authorize().token().value(), "the stored access token is still valid");
        assertEquals(1, endpoint.requests());
        clock.advance(PAST_EXPIRY);
        assertEquals("at-2", manager().authorize().token().value());

        assertEquals(FIRST_RT, refreshTokenSent(0));
        assertEquals("rt-rotated-1", refreshTokenSent(1), "the rotated refresh token wins over the configured one");
    }

    @Test
    void restartWithANewConfiguredRefreshTokenUsesTheNewOneNotTheRotatedOneOfTheOldToken() throws Exception {
        endpoint.answersInTurn(json(200, tokens("at-1", "rt-rotated-1")), json(200, tokens("at-new", "rt-rotated-new")));
        engine = start(FIRST_RT);
        assertEquals("at-1", manager().authorize().token().value());
        engine.close();

        engine = start(NEW_RT); // the user replaced the configured refresh token, then restarted
        assertEquals("at-new", manager().authorize().token().value(), "no access token of the old refresh token");

        assertEquals(2, endpoint.requests());
        assertEquals(FIRST_RT, refreshTokenSent(0));
        assertEquals(NEW_RT, refreshTokenSent(1), "the newly configured refresh token wins");
        assertEquals(ConnectionState.ACTIVE, manager().state());

        clock.advance(PAST_EXPIRY);
        endpoint.answers(json(200, tokens("at-new-2", "rt-rotated-new-2")));
        assertEquals("at-new-2", manager().authorize().token().value());
        assertEquals("rt-rotated-new", refreshTokenSent(2), "and its rotations are kept as before");
        engine.close();
        engine = null;
        byte[] file = Files.readAllBytes(storeFile());
        String text = new String(file, StandardCharsets.ISO_8859_1);
        for (String secret : List.of(FIRST_RT, NEW_RT, "rt-rotated-new-2")) {
            assertFalse(text.contains(secret), "nothing in clear in the store file");
        }
        assertTrue(file.length > 0);
    }
}
