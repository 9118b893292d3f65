package com.cameloauth.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.cameloauth.cluster.Instances.Reply;
import com.cameloauth.testsupport.redis.RedisExtension;
import com.cameloauth.testsupport.redis.RedisServer;

/**
 * Issue 12: the instance holding the lease dies (kill -9) in the middle of its token request. Its lease is never
 * released; another instance waits for it, makes no request of its own while it lasts, and takes over when it ends.
 */
@ExtendWith(RedisExtension.class)
class ClusterLeaseHolderKilledTest {
    /** request-timeout 2 s, one attempt: the engine's lease lasts 2 s x 1 + 2 s. */
    private static final Duration LEASE_TTL = Duration.ofSeconds(4);

    @TempDir
    Path logs;

    @Test
    void leaseHolderKilledMidRequestThenAnotherInstanceTakesOverAfterTheLease(RedisServer redis) {
        redis.cli("FLUSHALL");
        try (CountingTokenServer server = CountingTokenServer.startHoldingFirst(ClusterInstance.LIFETIME_SECONDS);
                Instances cluster = Instances.start(2, logs, "tokenUrl=" + server.tokenUrl(), "store=" + redis.url(),
                        "key=" + ClusterKeys.KEY, "threads=1", "calls=1", "requestTimeout=2s", "storeTimeout=5s")) {
            cluster.send(0, "window 1");
            await().atMost(Duration.ofSeconds(30)).until(() -> server.requests() == 1);
            assertEquals(1, redis.cli("KEYS", "camel-oauth:*:lease").lines().count(), "instance 0 holds the lease");

            cluster.kill(0);
            long killed = System.nanoTime();
            cluster.send(1, "window 1");

            AtomicReference<String> done = new AtomicReference<>();
            await().atMost(LEASE_TTL.plusSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> done.updateAndGet(d -> d != null ? d : cluster.poll(1)) != null);
            Reply reply = Reply.parse(done.get());
            long tookMillis = (System.nanoTime() - killed) / 1_000_000;

            assertEquals(0, reply.failures(), done.get() + "\n" + cluster.log(1));
            assertEquals(2, server.requests(), "one request by the dead holder, one by its successor");
            assertEquals(1, reply.tokens().size());
            System.out.printf("lease holder killed: the other instance had a token %d ms later (lease %d ms)%n",
                    tookMillis, LEASE_TTL.toMillis());
        }
    }
}
