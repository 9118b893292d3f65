package com.cameloauth.token.store.redis;

import static com.cameloauth.token.store.redis.RedisTestSupport.BILLING;
import static com.cameloauth.token.store.redis.RedisTestSupport.ORDERS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.cameloauth.testsupport.redis.RedisExtension;
import com.cameloauth.testsupport.redis.RedisServer;
import com.cameloauth.token.store.Lease;

/** Leases across "instances": two stores on one Redis stand for two JVMs sharing it. */
@ExtendWith(RedisExtension.class)
class RedisLeaseTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    private RedisTokenStore instanceA;
    private RedisTokenStore instanceB;

    @BeforeEach
    void open(RedisServer redis) {
        redis.cli("FLUSHALL");
        instanceA = RedisTestSupport.open(redis);
        instanceB = RedisTestSupport.open(redis);
    }

    @AfterEach
    void close() {
        instanceA.close();
        instanceB.close();
    }

    @Test
    void leaseWhenHeldByAnotherInstanceThenRefusedUntilReleased() {
        Lease a = instanceA.tryAcquireLease(ORDERS, LONG).orElseThrow();

        assertEquals(Optional.empty(), instanceB.tryAcquireLease(ORDERS, LONG));
        assertTrue(instanceB.tryAcquireLease(BILLING, LONG).isPresent(), "leases are per key");
        instanceA.release(a);
        Lease b = instanceB.tryAcquireLease(ORDERS, LONG).orElseThrow();
        assertNotEquals(a.holder(), b.holder());
    }

    /** A holder that dies never releases: Redis ends its lease after the ttl and another instance gets it. */
    @Test
    void leaseOfADeadHolderEndsAfterItsTtl() {
        Lease dead = instanceA.tryAcquireLease(ORDERS, Duration.ofMillis(300)).orElseThrow();
        instanceA.close();

        Lease next = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> instanceB.tryAcquireLease(ORDERS, LONG), Optional::isPresent).orElseThrow();

        assertTrue(next.fencingToken() > dead.fencingToken());
    }

    @Test
    void fencingTokensIncreaseWithEveryGrant() {
        long last = 0;
        for (int i = 0; i < 20; i++) {
            RedisTokenStore instance = i % 2 == 0 ? instanceA : instanceB;
            Lease lease = instance.tryAcquireLease(ORDERS, LONG).orElseThrow();
            assertTrue(lease.fencingToken() > last, lease.fencingToken() + " > " + last);
            last = lease.fencingToken();
            instance.release(lease);
        }
    }

    /** Release only removes the lease while this holder has it: an expired holder cannot end its successor's lease. */
    @Test
    void releaseOfAnExpiredLeaseLeavesTheSuccessorsLease() {
        Lease expired = instanceA.tryAcquireLease(ORDERS, Duration.ofMillis(200)).orElseThrow();
        Lease successor = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> instanceB.tryAcquireLease(ORDERS, LONG), Optional::isPresent).orElseThrow();

        instanceA.release(expired);
        instanceA.release(expired);

        assertEquals(Optional.empty(), instanceA.tryAcquireLease(ORDERS, LONG), "the successor still holds it");
        instanceB.release(successor);
        assertTrue(instanceA.tryAcquireLease(ORDERS, LONG).isPresent());
    }

    @Test
    void racingInstancesThenExactlyOneGetsTheLease() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                CyclicBarrier start = new CyclicBarrier(8);
                List<Future<Optional<Lease>>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    RedisTokenStore instance = i % 2 == 0 ? instanceA : instanceB;
                    results.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return instance.tryAcquireLease(ORDERS, LONG);
                    }));
                }
                List<Lease> granted = new ArrayList<>();
                for (Future<Optional<Lease>> f : results) {
                    f.get(30, TimeUnit.SECONDS).ifPresent(granted::add);
                }
                assertEquals(1, granted.size(), "round " + round + ": " + granted);
                instanceA.release(granted.get(0));
                instanceB.release(granted.get(0));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
