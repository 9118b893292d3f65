package com.cameloauth.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cameloauth.cluster.Instances.Reply;
import com.cameloauth.testsupport.redis.RedisServer;

/**
 * Issue 12: Redis goes down in the middle of a run and comes back. No call fails because of it: each instance goes on
 * from its own memory and fetches its own token (one per instance and window, not a loop), reports a
 * STORE_UNAVAILABLE event and {@code oauth_store_available 0}; once Redis is back they share one token again.
 */
class ClusterRedisOutageTest {
    private static final Duration WINDOW_TIMEOUT = Duration.ofSeconds(60);
    private static final int INSTANCES = 2;

    @TempDir
    Path logs;

    @Test
    void redisKilledMidRunThenNoCallFailsAndSharingResumesAfterRestart() {
        try (RedisServer redis = RedisServer.start();
                CountingTokenServer server = CountingTokenServer.start(ClusterInstance.LIFETIME_SECONDS);
                Instances cluster = Instances.start(INSTANCES, logs, "tokenUrl=" + server.tokenUrl(),
                        "store=" + redis.url(), "key=" + ClusterKeys.KEY, "threads=32", "calls=50",
                        "storeTimeout=2s")) {
            int window = 0;
            for (int i = 0; i < 2; i++) {
                List<Reply> shared = run(cluster, ++window);
                assertEquals(window, server.requests(), "shared: one request per window " + shared);
                shared.forEach(r -> assertEquals(1, r.storeAvailable()));
            }

            redis.kill();
            for (int i = 0; i < 2; i++) {
                int before = server.requests();
                List<Reply> alone = run(cluster, ++window);
                assertEquals(INSTANCES, server.requests() - before, "Redis down: one request per instance " + alone);
                for (Reply r : alone) {
                    assertEquals(1, r.storeUnavailable(), "one STORE_UNAVAILABLE event per outage: " + alone);
                    assertEquals(0, r.storeAvailable(), "oauth_store_available while Redis is down: " + alone);
                }
            }

            redis.restart();
            // both instances have reconnected (the +1 is redis-cli itself)
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> redis.cli("CLIENT", "LIST").lines().count() >= INSTANCES + 1);
            for (int i = 0; i < 2; i++) {
                int before = server.requests();
                List<Reply> shared = run(cluster, ++window);
                assertEquals(1, server.requests() - before, "Redis back: shared again " + shared);
                shared.forEach(r -> assertEquals(1, r.storeAvailable(), "oauth_store_available after recovery"));
            }
        }
    }

    /** One window; no call may fail, and every instance has one token for it. */
    private static List<Reply> run(Instances cluster, int window) {
        List<Reply> replies = cluster.sendAll("window " + window, WINDOW_TIMEOUT);
        for (Reply r : replies) {
            assertEquals(0, r.failures(), "failed calls in window " + window + ": " + replies);
            assertEquals(32 * 50, r.calls());
            assertTrue(r.tokens().size() == 1, "one token per instance and window: " + replies);
        }
        return replies;
    }
}
