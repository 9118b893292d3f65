package com.cameloauth.token.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.testsupport.browser.CallbackReceiver;
import com.cameloauth.testsupport.browser.HeadlessChromium;
import com.cameloauth.testsupport.browser.KeycloakLoginPage;
import com.cameloauth.testsupport.keycloak.KeycloakExtension;
import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.cameloauth.token.ConnectionState;
import com.cameloauth.token.ConsentRequiredException;
import com.cameloauth.token.IntrospectionResult;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.RevocationResult;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenManager;
import com.cameloauth.token.discovery.DiscoveryException;
import com.cameloauth.token.store.TokenSet;

/**
 * Discovery, introspection and revocation against the Keycloak the tests start: connections configured with only
 * {@code issuer} (no endpoint URL at all).
 */
@ExtendWith(KeycloakExtension.class)
class KeycloakOpsIT {
    private static final String NAME = "ops";

    private static KeycloakServer keycloak;
    private OAuthConnections engine;
    private final RecordingStore store = new RecordingStore();

    @BeforeAll
    static void client(KeycloakServer server) throws Exception {
        keycloak = server;
        OpsKeycloakClients.ensureClient(server);
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private OAuthConnections start(String policy, String issuer, Map<String, String> more) {
        Map<String, String> p = new LinkedHashMap<>();
        String prefix = "oauth.connections." + NAME + ".";
        p.put(prefix + "policy", policy);
        p.put(prefix + "base-url", keycloak.adminApiUrl());
        p.put(prefix + "issuer", issuer);
        p.put(prefix + "client-id", OpsKeycloakClients.CLIENT_ID);
        p.put(prefix + "client-secret", OpsKeycloakClients.CLIENT_SECRET);
        p.put(prefix + "allow-insecure", "true");
        p.put(prefix + "max-attempts", "1");
        more.forEach((k, v) -> p.put(prefix + k, v));
        engine = OAuthConnections.builder(ConnectionDefinitions.fromProperties(p)).store(store).build();
        return engine;
    }

    private TokenManager manager() {
        return engine.tokenManager(NAME).orElseThrow();
    }

    @Test
    void issuerOnlyWhenClientCredentialsThenTokenFromDiscoveredEndpointAndIntrospectedActive() {
        start("client-credentials", keycloak.issuer(), Map.of());

        Token token = manager().currentToken();
        IntrospectionResult r = engine.introspect(NAME);

        assertEquals(ConnectionState.ACTIVE, manager().state());
        assertTrue(r.active(), r.claims().toString());
        assertEquals(OpsKeycloakClients.CLIENT_ID, r.claims().get("client_id"));
        assertEquals(token.fingerprint(), r.fingerprint());
        assertFalse(r.claims().toString().contains(token.value()));
    }

    @Test
    void issuerWhenItDiffersFromTheMetadataThenRefusedNamingBothValues() {
        start("client-credentials", keycloak.issuer() + "/", Map.of());

        DiscoveryException e = assertThrows(DiscoveryException.class, manager()::currentToken);

        assertTrue(e.getMessage().contains("'" + keycloak.issuer() + "/'"), e.getMessage());
        assertTrue(e.getMessage().contains("names the issuer '" + keycloak.issuer() + "'"), e.getMessage());
        assertEquals(ConnectionState.FAILED, manager().state());
    }

    @Test
    void revokeWhenPasswordConnectionThenKeycloakSaysBothTokensInactiveAndNextCallIsAFreshPasswordGrant()
            throws Exception {
        start("password", keycloak.issuer(), Map.of("username", KeycloakServer.USER_USERNAME,
                "password", KeycloakServer.USER_PASSWORD));
        Token first = manager().currentToken();
        TokenSet set = store.last();
        String refreshToken = set.refreshToken().orElseThrow();
        assertTrue(OpsKeycloakClients.active(keycloak, first.value()), "precondition: the access token is active");

        RevocationResult r = engine.revoke(NAME);

        assertTrue(r.serverSide());
        assertEquals(List.of("refresh_token", "access_token"), r.revoked(), r.failures().toString());
        assertFalse(OpsKeycloakClients.active(keycloak, first.value()), "access token revoked at Keycloak");
        assertFalse(OpsKeycloakClients.active(keycloak, refreshToken), "refresh token revoked at Keycloak");
        assertEquals(ConnectionState.EXPIRED, r.state());
        Token next = manager().currentToken();
        assertNotEquals(first.fingerprint(), next.fingerprint());
        assertTrue(OpsKeycloakClients.active(keycloak, next.value()));
    }

    @Test
    void revokeWhenAuthorizationCodeConsentedInChromiumThenNeedsConsentAndKeycloakRefusesTheRefreshToken()
            throws Exception {
        try (CallbackReceiver callbacks = CallbackReceiver.start()) {
            Map<String, String> p = new LinkedHashMap<>();
            String prefix = "oauth.connections." + NAME + ".";
            p.put(prefix + "policy", "authorization-code");
            p.put(prefix + "base-url", keycloak.adminApiUrl());
            p.put(prefix + "issuer", keycloak.issuer());
            p.put(prefix + "client-id", KeycloakServer.WEB_APP_CONFIDENTIAL_CLIENT_ID);
            p.put(prefix + "client-secret", KeycloakServer.WEB_APP_CONFIDENTIAL_CLIENT_SECRET);
            p.put(prefix + "redirect-uri", callbacks.redirectUri().toString());
            p.put(prefix + "scopes", "openid");
            p.put(prefix + "allow-insecure", "true");
            engine = OAuthConnections.builder(ConnectionDefinitions.fromProperties(p)).store(store).build();
            URI authorization = engine.beginConsent(NAME);
            assertTrue(authorization.toString().startsWith(keycloak.authorizationUrl() + "?"), "discovered endpoint");
            URI callback;
            try (HeadlessChromium chromium = HeadlessChromium.start()) {
                KeycloakLoginPage.logIn(chromium.driver(), authorization, KeycloakServer.USER_USERNAME,
                        KeycloakServer.USER_PASSWORD);
                callback = callbacks.awaitCallback(Duration.ofSeconds(60));
            }
            engine.completeConsent(callback);
            assertEquals(ConnectionState.ACTIVE, manager().state());
            String refreshToken = store.last().refreshToken().orElseThrow();

            RevocationResult r = engine.revoke(NAME);

            assertEquals(List.of("refresh_token", "access_token"), r.revoked(), r.failures().toString());
            assertEquals(ConnectionState.NEEDS_CONSENT, r.state());
            assertThrows(ConsentRequiredException.class, manager()::currentToken);
            assertEquals(400, refreshAtKeycloak(refreshToken), "Keycloak refuses the revoked refresh token");
        }
    }

    /** The status of a refresh grant sent straight to Keycloak with the web app's credentials. */
    private static int refreshAtKeycloak(String refreshToken) throws Exception {
        String auth = Base64.getEncoder().encodeToString((KeycloakServer.WEB_APP_CONFIDENTIAL_CLIENT_ID + ":"
                + KeycloakServer.WEB_APP_CONFIDENTIAL_CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(keycloak.tokenUrl()))
                .header("Authorization", "Basic " + auth).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token="
                        + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
