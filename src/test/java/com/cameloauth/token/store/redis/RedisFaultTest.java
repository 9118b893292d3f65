package com.cameloauth.token.store.redis;

import static com.cameloauth.token.store.redis.RedisTestSupport.ORDERS;
import static com.cameloauth.token.store.redis.RedisTestSupport.tokens;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cameloauth.testsupport.redis.RedisServer;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.token.store.TokenStore;
import com.cameloauth.token.store.TokenStoreException;
import com.cameloauth.token.store.TokenStoreException.Reason;
import com.cameloauth.token.store.Versioned;

/**
 * Redis down, hung or restarted: every call fails with UNAVAILABLE instead of hanging, and works again when Redis is
 * back. The stores here use the default 500 ms timeout; the bounds asserted are generous (a hang, not a duration, is
 * what they catch).
 */
class RedisFaultTest {
    private static final Duration NO_HANG = Duration.ofSeconds(10);

    private RedisServer redis;
    private RedisTokenStore store;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        store = RedisTokenStore.open(RedisStoreSettings.of(redis.url(), RedisTestSupport.KEY));
    }

    @AfterEach
    void stop() {
        store.close();
        redis.close();
    }

    @Test
    void redisKilledThenUnavailableAtOnceAndRestartedThenWorksAgain() {
        store.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(1)).orElseThrow();
        redis.kill();

        for (int i = 0; i < 3; i++) {
            TokenStoreException down = assertTimeoutPreemptively(NO_HANG,
                    () -> assertThrows(TokenStoreException.class, () -> store.load(ORDERS)));
            assertEquals(Reason.UNAVAILABLE, down.reason(), down.getMessage());
            assertTrue(down.getMessage().contains(redis.url()), down.getMessage());
        }
        assertEquals(Reason.UNAVAILABLE, assertThrows(TokenStoreException.class,
                () -> store.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(2))).reason());
        assertEquals(Reason.UNAVAILABLE, assertThrows(TokenStoreException.class,
                () -> store.tryAcquireLease(ORDERS, Duration.ofSeconds(5))).reason());

        redis.restart();

        // the restarted Redis is empty and knows no script: EVALSHA -> NOSCRIPT -> EVAL
        await().atMost(NO_HANG).pollInterval(Duration.ofMillis(50)).ignoreException(TokenStoreException.class)
                .until(() -> store.load(ORDERS), Optional::isEmpty);
        assertTrue(store.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(3)).isPresent());
        assertEquals(tokens(3), store.load(ORDERS).orElseThrow().value());
        assertTrue(store.tryAcquireLease(ORDERS, Duration.ofSeconds(5)).isPresent());
    }

    /** A hung Redis keeps the connection open and answers nothing: the call ends at the timeout, not later. */
    @Test
    void redisHungThenUnavailableAtTheTimeoutAndResumedThenWorksAgain() {
        Long version = store.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(1)).orElseThrow().version();
        redis.pause();
        try {
            TokenStoreException hung = assertTimeoutPreemptively(NO_HANG,
                    () -> assertThrows(TokenStoreException.class, () -> store.compareAndSet(ORDERS, version, tokens(2))));
            assertEquals(Reason.UNAVAILABLE, hung.reason(), hung.getMessage());
            assertTrue(hung.getMessage().contains("500 ms"), hung.getMessage());
            assertEquals(Reason.UNAVAILABLE, assertTimeoutPreemptively(NO_HANG,
                    () -> assertThrows(TokenStoreException.class, () -> store.load(ORDERS))).reason());
        } finally {
            redis.resume();
        }

        await().atMost(NO_HANG).pollInterval(Duration.ofMillis(50)).ignoreException(TokenStoreException.class)
                .until(() -> store.load(ORDERS).isPresent());
        // The write was on the wire when Redis hung: it runs when Redis resumes ("may or may not have been applied").
        // Either way the entry is whole, and a caller that loads and compares-and-sets again proceeds safely.
        Versioned<TokenSet> now = store.load(ORDERS).orElseThrow();
        assertTrue(now.value().equals(tokens(1)) || now.value().equals(tokens(2)) && now.version() > version,
                now.toString());
        assertEquals(Optional.empty(), store.compareAndSet(ORDERS, version - 1, tokens(3)));
        assertTrue(store.compareAndSet(ORDERS, now.version(), tokens(3)).isPresent());
    }

    @Test
    void openWhenRedisIsNotRunningThenUnavailable() {
        redis.kill();

        TokenStoreException down = assertTimeoutPreemptively(NO_HANG, () -> assertThrows(TokenStoreException.class,
                () -> RedisTokenStore.open(RedisStoreSettings.of(redis.url(), RedisTestSupport.KEY))));

        assertEquals(Reason.UNAVAILABLE, down.reason(), down.getMessage());
    }
}
