package com.cameloauth.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.cameloauth.cluster.Instances.Reply;
import com.cameloauth.testsupport.redis.RedisExtension;
import com.cameloauth.testsupport.redis.RedisServer;

/**
 * Issue 12: N instances (separate JVMs, 32 threads each) sharing one Redis make exactly one token request per expiry
 * window, counted at the token endpoint; every instance uses that one token. Without Redis each instance makes its own.
 * The store timeout is generous here (5 s): this proves the sharing, not Redis latency on a loaded machine (a store
 * timeout only makes an instance fetch on its own, which {@link ClusterRedisOutageTest} covers).
 */
@ExtendWith(RedisExtension.class)
class ClusterSingleFlightTest {
    static final int WINDOWS = 3;
    static final Duration WINDOW_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path logs;

    @ParameterizedTest(name = "{0} instance(s)")
    @ValueSource(ints = {1, 2, 4})
    void instancesSharingRedisThenOneTokenRequestPerExpiryWindow(int n, RedisServer redis) {
        redis.cli("FLUSHALL");
        try (CountingTokenServer server = CountingTokenServer.start(ClusterInstance.LIFETIME_SECONDS);
                Instances cluster = Instances.start(n, logs, "tokenUrl=" + server.tokenUrl(), "store=" + redis.url(),
                        "key=" + ClusterKeys.KEY, "threads=32", "calls=50", "storeTimeout=5s")) {
            for (int w = 1; w <= WINDOWS; w++) {
                List<Reply> replies = cluster.sendAll("window " + w, WINDOW_TIMEOUT);

                assertEquals(w, server.requests(), "token requests after window " + w + ": " + replies);
                Set<String> tokens = new TreeSet<>();
                for (Reply r : replies) {
                    assertEquals(0, r.failures(), "failed calls: " + replies);
                    assertEquals(32 * 50, r.calls());
                    tokens.addAll(r.tokens());
                }
                assertEquals(1, tokens.size(), "every instance used the one token of window " + w + ": " + replies);
            }
            System.out.printf("cluster of %d instance(s) x 32 threads, Redis: %d token requests in %d windows%n", n,
                    server.requests(), WINDOWS);
        }
    }

    /** The control: the same cluster without a shared store makes one request per instance and window. */
    @Test
    void instancesWithoutASharedStoreThenOneTokenRequestPerInstanceAndWindow() {
        try (CountingTokenServer server = CountingTokenServer.start(ClusterInstance.LIFETIME_SECONDS);
                Instances cluster = Instances.start(2, logs, "tokenUrl=" + server.tokenUrl(), "store=memory",
                        "threads=32", "calls=50")) {
            for (int w = 1; w <= 2; w++) {
                cluster.sendAll("window " + w, WINDOW_TIMEOUT);
            }
            assertEquals(2 * 2, server.requests());
        }
    }
}
