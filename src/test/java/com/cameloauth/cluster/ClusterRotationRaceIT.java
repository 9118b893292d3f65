package com.cameloauth.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.cameloauth.cluster.Instances.Reply;
import com.cameloauth.testsupport.keycloak.KeycloakExtension;
import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.cameloauth.testsupport.redis.RedisServer;

/**
 * Issue 12, against Keycloak with refresh-token rotation and reuse detection: two instances (JVMs) sharing Redis need a
 * new token at the same moment, twice. One of them refreshes each time, the other adopts the rotated set: both end with
 * a token Keycloak accepts, Keycloak records exactly one refresh per window and no REFRESH_TOKEN_ERROR (a reused
 * refresh token would be one, and would end the session).
 */
@ExtendWith(KeycloakExtension.class)
class ClusterRotationRaceIT {
    private static final Duration WINDOW_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path logs;

    private RotationRealm realm;
    private RedisServer redis;

    @BeforeEach
    void createRealm() {
        realm = new RotationRealm(KeycloakServer.get());
        realm.create();
        redis = RedisServer.start();
    }

    @AfterEach
    void deleteRealm() {
        redis.close();
        realm.delete();
    }

    @Test
    void twoInstancesRefreshingAtTheSameMomentThenOneRotationAndNoReuse() {
        try (Instances cluster = Instances.start(2, logs, "tokenUrl=" + realm.tokenUrl(), "store=" + redis.url(),
                "key=" + ClusterKeys.KEY, "policy=password", "clientId=" + RotationRealm.CLIENT_ID,
                "clientSecret=" + RotationRealm.CLIENT_SECRET, "username=" + RotationRealm.USERNAME,
                "password=" + RotationRealm.PASSWORD, "scopes=openid", "threads=8", "calls=20",
                "requestTimeout=10s", "storeTimeout=5s", "checkUrl=" + realm.userInfoUrl())) {
            for (int window = 1; window <= 3; window++) {
                nextSecond(); // Keycloak compares reuse in whole seconds: a reuse must fall in a later one to be seen
                List<Reply> replies = cluster.sendAll("window " + window, WINDOW_TIMEOUT);

                Set<String> tokens = new TreeSet<>();
                for (Reply r : replies) {
                    assertEquals(0, r.failures(), "window " + window + ": " + replies);
                    assertEquals(200, r.check(), "Keycloak accepts the token of each instance: " + replies);
                    tokens.addAll(r.tokens());
                }
                assertEquals(1, tokens.size(), "both instances use the one token of window " + window + ": " + replies);
            }
            assertEquals(1, realm.events("LOGIN"), "one password grant for both instances");
            assertEquals(2, realm.events("REFRESH_TOKEN"), "one refresh per later window for both instances");
            assertEquals(0, realm.events("REFRESH_TOKEN_ERROR"), "no refresh token was used twice");
        }
    }

    private static void nextSecond() {
        long now = Instant.now().getEpochSecond();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> Instant.now().getEpochSecond() > now);
    }
}
