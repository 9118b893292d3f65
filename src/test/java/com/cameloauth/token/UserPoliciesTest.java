package com.cameloauth.token;

import static com.cameloauth.token.TokenEndpoint.json;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.connection.StoreSettings;
import com.cameloauth.connection.Secret;
import com.cameloauth.token.store.TokenStoreException;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/**
 * The user-acting policies end to end from configuration keys, against a WireMock authorization server: password,
 * refresh-token, authorization-code (client-auth none), and the encrypted file store across a restart.
 */
class UserPoliciesTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private static final String NAME = TestConnection.NAME;
    private static final String PASSWORD = "pw-Zr81-never-shown";
    private static final String CONFIGURED_RT = "rt-configured-Kp2";
    private static final URI REDIRECT = URI.create("http://127.0.0.1/oauth/callback");
    private static final Duration PAST_EXPIRY = Duration.ofSeconds(301);

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final RecordingListener listener = new RecordingListener();
    private final TokenEndpoint endpoint = new TokenEndpoint(server);
    private final Map<String, String> properties = new LinkedHashMap<>();
    private OAuthConnections engine;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private UserPoliciesTest with(String key, String value) {
        properties.put("oauth.connections." + NAME + "." + key, value);
        return this;
    }

    private UserPoliciesTest connection(String policy) {
        String base = "http://127.0.0.1:" + server.getPort();
        return with("policy", policy).with("base-url", base + "/api").with("token-url", base + TestConnection.TOKEN_PATH)
                .with("client-id", TestConnection.CLIENT_ID).with("client-secret", TestConnection.CLIENT_SECRET)
                .with("allow-insecure", "true");
    }

    private OAuthConnections engine(OAuthConnections.Builder builder) {
        OAuthConnections e = builder.clock(clock).sleeper(new RecordingSleeper(clock)).executor(Runnable::run).build();
        e.addListener(listener);
        return e;
    }

    private OAuthConnections.Builder builder() {
        Map<String, ConnectionDefinition> definitions = ConnectionDefinitions.fromProperties(properties);
        return OAuthConnections.builder(definitions);
    }

    private TokenManager manager() {
        return engine.tokenManager(NAME).orElseThrow();
    }

    private static String tokens(String access, String refresh) {
        return "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"refresh_token\":\""
                + refresh + "\"}";
    }

    private static final String INVALID_GRANT = "{\"error\":\"invalid_grant\",\"error_description\":\"Token is not active\"}";

    private List<LoggedRequest> requests() {
        return server.findAll(postRequestedFor(urlPathEqualTo(TestConnection.TOKEN_PATH)));
    }

    private Map<String, List<String>> form(int i) {
        return URLUtils.parseParameters(requests().get(i).getBodyAsString());
    }

    private static URI callbackFor(URI url, String code) {
        String state = URLUtils.parseParameters(url.getRawQuery()).get("state").get(0);
        return URI.create(REDIRECT + "?code=" + code + "&state=" + state);
    }

    @Test
    void passwordPolicySendsTheUserCredentialsAndStartsOverOnceWhenTheRefreshTokenIsRefused() {
        connection("password").with("username", "alice").with("password", PASSWORD);
        endpoint.answersInTurn(json(200, tokens("at-1", "rt-1")), json(400, INVALID_GRANT),
                json(200, tokens("at-2", "rt-2")));
        engine = engine(builder());

        assertEquals("at-1", manager().authorize().token().value());
        clock.advance(PAST_EXPIRY);
        assertEquals("at-2", manager().authorize().token().value());

        assertEquals(3, endpoint.requests());
        assertEquals(List.of("password"), form(0).get("grant_type"));
        assertEquals(List.of("alice"), form(0).get("username"));
        assertEquals(List.of(PASSWORD), form(0).get("password"));
        assertEquals(List.of("refresh_token"), form(1).get("grant_type"));
        assertEquals(List.of("rt-1"), form(1).get("refresh_token"));
        assertEquals(List.of("password"), form(2).get("grant_type"));
        assertEquals(ConnectionState.ACTIVE, manager().state());
        assertTrue(listener.events().stream().noneMatch(e -> String.valueOf(e).contains(PASSWORD)));
    }

    @Test
    void passwordPolicyWarnsOncePerConnectionAndNeverShowsThePassword() {
        connection("password").with("username", "alice").with("password", PASSWORD);
        endpoint.answers(json(200, tokens("at-1", "rt-1")));
        java.util.List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(
                com.cameloauth.token.grant.PasswordTokenGrant.class.getName());
        log.addHandler(handler);
        try {
            engine = engine(builder());
            manager().authorize();
            clock.advance(PAST_EXPIRY);
            manager().authorize();
        } finally {
            log.removeHandler(handler);
        }

        List<String> warnings = records.stream().filter(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING
                .intValue()).map(r -> java.text.MessageFormat.format(r.getMessage().replace("{}", "{0}"),
                r.getParameters() == null ? new Object[0] : r.getParameters())).toList();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("deprecated"), warnings.get(0));
        assertTrue(records.stream().noneMatch(r -> String.valueOf(r.getMessage()).contains(PASSWORD)
                || r.getParameters() != null && java.util.Arrays.toString(r.getParameters()).contains(PASSWORD)));
    }

    @Test
    void refreshTokenPolicyStartsFromTheConfiguredTokenRotatesAndSaysToReplaceItWhenRefused() {
        connection("refresh-token").with("refresh-token", CONFIGURED_RT);
        endpoint.answersInTurn(json(200, tokens("at-1", "rt-2")), json(400, INVALID_GRANT));
        engine = engine(builder());

        assertEquals("at-1", manager().authorize().token().value());
        clock.advance(PAST_EXPIRY);
        OAuthTokenException refused = assertThrows(OAuthTokenException.class, manager()::authorize);
        OAuthTokenException again = assertThrows(OAuthTokenException.class, manager()::authorize);

        assertEquals(List.of("refresh_token"), form(0).get("grant_type"));
        assertEquals(List.of(CONFIGURED_RT), form(0).get("refresh_token"));
        assertEquals(List.of("rt-2"), form(1).get("refresh_token"), "the rotated refresh token is used");
        assertEquals(2, endpoint.requests(), "the refused refresh token is not sent again");
        assertTrue(refused.getMessage().contains("configured refresh token was refused"), refused.getMessage());
        assertTrue(refused.getMessage().contains("oauth.connections." + NAME + ".refresh-token"), refused.getMessage());
        assertFalse(refused.getMessage().contains("rt-2") || refused.getMessage().contains(CONFIGURED_RT));
        assertTrue(again.getMessage().contains("configured refresh token was refused"), again.getMessage());
        assertEquals(ConnectionState.FAILED, manager().state());
        assertEquals(1, listener.ofType(TokenEvent.Type.REFRESH_TOKEN_REJECTED).size());
    }

    private void authorizationCodeConnection() {
        String base = "http://127.0.0.1:" + server.getPort();
        with("policy", "authorization-code").with("base-url", base + "/api")
                .with("token-url", base + TestConnection.TOKEN_PATH).with("authorization-url", base + "/authorize")
                .with("redirect-uri", REDIRECT.toString()).with("client-id", "public-app").with("client-auth", "none")
                .with("scopes", "read").with("allow-insecure", "true");
    }

    @Test
    void authorizationCodePolicyConsentsFromItsKeysAndAPublicClientSendsOnlyItsClientId() {
        authorizationCodeConnection();
        endpoint.answersInTurn(json(200, tokens("at-1", "rt-1")), json(200, tokens("at-2", "rt-2")));
        engine = engine(builder());
        assertThrows(ConsentRequiredException.class, manager()::authorize);

        URI url = engine.beginConsent(NAME);
        assertTrue(url.toString().startsWith("http://127.0.0.1:" + server.getPort() + "/authorize?"), url.toString());
        Map<String, List<String>> query = URLUtils.parseParameters(url.getRawQuery());
        assertEquals(List.of("public-app"), query.get("client_id"));
        assertEquals(List.of(REDIRECT.toString()), query.get("redirect_uri"));
        assertEquals(List.of("read"), query.get("scope"));
        assertEquals("at-1", engine.completeConsent(callbackFor(url, "the-code")).value());
        clock.advance(PAST_EXPIRY);
        assertEquals("at-2", manager().authorize().token().value());

        assertEquals(List.of("authorization_code"), form(0).get("grant_type"));
        assertEquals(List.of("refresh_token"), form(1).get("grant_type"));
        for (int i = 0; i < 2; i++) {
            assertEquals(List.of("public-app"), form(i).get("client_id"));
            assertNull(form(i).get("client_secret"));
            assertFalse(requests().get(i).containsHeader("Authorization"), "a public client sends no Authorization");
        }
    }

    private StoreSettings fileStore(String key) {
        return new StoreSettings(StoreSettings.Type.FILE, java.util.Optional.of(dir.resolve("tokens.store")),
                java.util.Optional.of(Secret.of(key)));
    }

    private static String key(int seed) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) seed);
        return Base64.getEncoder().encodeToString(k);
    }

    @Test
    void consentedConnectionSurvivesARestartOnTheEncryptedFileWithoutAnotherConsentOrRequest() {
        authorizationCodeConnection();
        endpoint.answersInTurn(json(200, tokens("at-1", "rt-1")), json(200, tokens("at-2", "rt-2")));
        engine = engine(builder().store(fileStore(key(7))));
        URI url = engine.beginConsent(NAME);
        engine.completeConsent(callbackFor(url, "the-code"));
        engine.close();

        engine = engine(builder().store(fileStore(key(7)))); // the restart
        assertEquals("at-1", manager().authorize().token().value());
        assertEquals(1, endpoint.requests(), "the stored token is used: no consent, no request");
        assertEquals(ConnectionState.ACTIVE, manager().state());

        clock.advance(PAST_EXPIRY);
        assertEquals("at-2", manager().authorize().token().value());
        assertEquals(List.of("refresh_token"), form(1).get("grant_type"));
        assertEquals(List.of("rt-1"), form(1).get("refresh_token"));
    }

    @Test
    void aWrongKeyForTheFileFailsStartUpWithTheStoresError() throws Exception {
        authorizationCodeConnection();
        endpoint.answersInTurn(json(200, tokens("at-1", "rt-1")));
        engine = engine(builder().store(fileStore(key(7))));
        engine.completeConsent(callbackFor(engine.beginConsent(NAME), "the-code"));
        engine.close();
        engine = null;
        assertTrue(Files.size(dir.resolve("tokens.store")) > 0);

        TokenStoreException e = assertThrows(TokenStoreException.class, () -> builder().store(fileStore(key(8))));
        assertFalse(e.getMessage().contains(key(8)) || e.getMessage().contains("rt-1"), e.getMessage());
    }
}
