package com.cameloauth.userit;

import static com.cameloauth.userit.UseritRealm.CONFIGURED_CLIENT;
import static com.cameloauth.userit.UseritRealm.CONFIGURED_USER;
import static com.cameloauth.userit.UseritRealm.RACE_CLIENT;
import static com.cameloauth.userit.UseritRealm.RACE_USER;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.testsupport.keycloak.KeycloakExtension;
import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.cameloauth.token.ConnectionState;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenEvent;
import com.cameloauth.token.TokenManager;
import com.cameloauth.token.store.EncryptedFileTokenStore;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;

/**
 * C7 against the real Keycloak, in a realm that rotates refresh tokens and detects reuse ({@code revokeRefreshToken},
 * {@code refreshTokenMaxReuse=0}): two engines ("instances") share one encrypted token file and refresh at the same
 * moment, round after round; Keycloak records no {@code REFRESH_TOKEN_ERROR} and one refresh per round. Then the
 * previous refresh token, sent by hand, is refused: the realm does detect reuse, so the race sent no stale token.
 */
@ExtendWith(KeycloakExtension.class)
class RefreshTokenRotationIT {
    private static final int ROUNDS = 5;
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 17);
    }

    private final UseritRealm realm;

    @TempDir
    Path dir;

    RefreshTokenRotationIT(KeycloakServer keycloak) {
        this.realm = UseritRealm.in(keycloak);
    }

    private OAuthConnections engine(Map<String, String> properties, RefreshTokenLog log) {
        return OAuthConnections.builder(ConnectionDefinitions.fromProperties(properties))
                .store(log.around(EncryptedFileTokenStore.open(dir.resolve("tokens.store"),
                        Base64.getEncoder().encodeToString(KEY))))
                .build();
    }

    @Test
    void twoInstancesRefreshingAtTheSameMomentNeverSendAStaleRefreshTokenAndKeycloakDetectsOneSentByHand()
            throws Exception {
        UseritRealm.Events seen = realm.eventsFromNow(RACE_CLIENT);
        Map<String, String> properties = new HashMap<>(realm.connection("carol", "password", RACE_CLIENT));
        properties.put("oauth.connections.carol.username", RACE_USER);
        properties.put("oauth.connections.carol.password", UseritRealm.passwordOf(RACE_USER));
        RefreshTokenLog log = new RefreshTokenLog();
        List<TokenEvent> events = new CopyOnWriteArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (OAuthConnections a = engine(properties, log); OAuthConnections b = engine(properties, log)) {
            a.addListener(events::add);
            b.addListener(events::add);
            TokenManager first = a.tokenManager("carol").orElseThrow();
            TokenManager second = b.tokenManager("carol").orElseThrow();
            assertEquals(first.currentToken().value(), second.currentToken().value(),
                    "the second instance adopts the first one's token from the file");
            seen.await("LOGIN", 1);

            for (int round = 1; round <= ROUNDS; round++) {
                nextWallClockSecond(); // Keycloak's reuse detection compares whole seconds
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Token>> results = new ArrayList<>();
                for (TokenManager m : List.of(first, second)) {
                    results.add(callers.submit(() -> {
                        go.await();
                        return m.refresh();
                    }));
                }
                go.countDown();
                for (Future<Token> r : results) {
                    r.get(60, TimeUnit.SECONDS);
                }
            }

            seen.await("REFRESH_TOKEN", ROUNDS);
            assertEquals(0, seen.count("REFRESH_TOKEN_ERROR"),
                    () -> "Keycloak refused a refresh: " + seen.errors("REFRESH_TOKEN_ERROR"));
            assertEquals(ROUNDS, seen.count("REFRESH_TOKEN"), "one refresh per round, the other adopts it");
            assertEquals(1, seen.count("LOGIN"), "one password grant: no fallback after a refused refresh");
            assertTrue(events.stream().noneMatch(e -> e.type() == TokenEvent.Type.REFRESH_TOKEN_REJECTED),
                    events.toString());
            assertEquals(ROUNDS + 1, log.stored().size(), "each rotation stored once");

            String latest = first.currentToken().value();
            assertEquals(latest, second.currentToken().value(), "both instances end with the same, latest token");
            for (TokenManager m : List.of(first, second)) {
                assertEquals(200, realm.userinfo(m.currentToken().value()).statusCode(), "userinfo accepts it");
                assertEquals(ConnectionState.ACTIVE, m.state());
            }

            // reuse detection is real: the refresh token spent in the last round, sent again, is refused
            List<String> stored = log.stored();
            String stale = stored.get(stored.size() - 2);
            TokenResponse reuse = realm.refresh(RACE_CLIENT, stale);
            assertFalse(reuse.indicatesSuccess(), "Keycloak accepted a spent refresh token");
            assertEquals(OAuth2Error.INVALID_GRANT.getCode(),
                    ((TokenErrorResponse) reuse).getErrorObject().getCode());
            seen.await("REFRESH_TOKEN_ERROR", 1);
        } finally {
            callers.shutdownNow();
        }
    }

    /**
     * Issue 10's defect against Keycloak: the user replaces the configured refresh token (a new session's) and
     * restarts; the engine refreshes with the new one (the access token belongs to the new session), not with the
     * rotated token of the old one it holds in the file.
     */
    @Test
    void refreshTokenPolicyUsesANewlyConfiguredRefreshTokenAfterARestartOnTheFileStore() {
        UseritRealm.Events seen = realm.eventsFromNow(CONFIGURED_CLIENT);
        String oldSession = handedOutRefreshToken();
        RefreshTokenLog log = new RefreshTokenLog();
        String firstSid;
        try (OAuthConnections engine = engine(configured(oldSession), log)) {
            TokenManager m = engine.tokenManager("erin").orElseThrow();
            firstSid = UseritRealm.claims(m.currentToken().value()).path("sid").asText();
            assertEquals(200, realm.userinfo(m.currentToken().value()).statusCode());
        }
        seen.await("REFRESH_TOKEN", 1);

        AccessTokenResponse replacement = realm.passwordGrant(CONFIGURED_CLIENT, CONFIGURED_USER).toSuccessResponse();
        String newSid = UseritRealm.claims(replacement.getTokens().getAccessToken().getValue()).path("sid").asText();
        assertNotEquals(firstSid, newSid);
        try (OAuthConnections engine = engine(configured(replacement.getTokens().getRefreshToken().getValue()), log)) {
            TokenManager m = engine.tokenManager("erin").orElseThrow();
            Token token = m.currentToken();
            assertEquals(newSid, UseritRealm.claims(token.value()).path("sid").asText(),
                    "the token comes from the newly configured refresh token's session");
            assertEquals(200, realm.userinfo(token.value()).statusCode());
        }
        seen.await("REFRESH_TOKEN", 2);
        assertEquals(0, seen.count("REFRESH_TOKEN_ERROR"),
                () -> "Keycloak refused a refresh: " + seen.errors("REFRESH_TOKEN_ERROR"));
    }

    private String handedOutRefreshToken() {
        TokenResponse response = realm.passwordGrant(CONFIGURED_CLIENT, CONFIGURED_USER);
        assertInstanceOf(AccessTokenResponse.class, response);
        return response.toSuccessResponse().getTokens().getRefreshToken().getValue();
    }

    private Map<String, String> configured(String refreshToken) {
        Map<String, String> p = new HashMap<>(realm.connection("erin", "refresh-token", CONFIGURED_CLIENT));
        p.put("oauth.connections.erin.refresh-token", refreshToken);
        return p;
    }

    private static void nextWallClockSecond() {
        long second = System.currentTimeMillis() / 1000;
        await("the next wall-clock second").atMost(Duration.ofSeconds(3)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10)).until(() -> System.currentTimeMillis() / 1000 > second);
    }
}
