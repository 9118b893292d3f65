package com.cameloauth.token.store.redis;

import static com.cameloauth.token.store.redis.RedisTestSupport.ORDERS;
import static com.cameloauth.token.store.redis.RedisTestSupport.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.cameloauth.testsupport.redis.RedisExtension;
import com.cameloauth.testsupport.redis.RedisServer;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.token.store.TokenStore;
import com.cameloauth.token.store.TokenStoreContractTest;
import com.cameloauth.token.store.Versioned;

/** The Redis store meets the whole {@link TokenStoreContractTest contract} against a real redis-server, and more. */
@ExtendWith(RedisExtension.class)
class RedisTokenStoreTest extends TokenStoreContractTest {
    private static RedisServer redis;

    @BeforeAll
    static void server(RedisServer server) {
        redis = server;
    }

    @Override
    protected TokenStore newStore() {
        redis.cli("FLUSHALL");
        return RedisTestSupport.open(redis);
    }

    @Test
    void entriesUseTheDocumentedKeysInOneClusterSlot() {
        store.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(1)).orElseThrow();
        store.tryAcquireLease(ORDERS, java.time.Duration.ofSeconds(30)).orElseThrow();
        String base = "camel-oauth:{" + ORDERS.value() + "}:";

        assertEquals(List.of(base + "lease", base + "seq", base + "token"),
                redis.cli("--no-raw", "KEYS", "*").lines().map(l -> l.replaceFirst("^\\d+\\) ", "").replace("\"", ""))
                        .sorted().toList());
        String slot = redis.cli("CLUSTER", "KEYSLOT", base + "token").strip();
        assertEquals(slot, redis.cli("CLUSTER", "KEYSLOT", base + "lease").strip());
        assertEquals(slot, redis.cli("CLUSTER", "KEYSLOT", base + "seq").strip());
    }

    /** Sealed entries: a scan of every key and value finds no token, in any form the tokens were stored. */
    @Test
    void nothingIsStoredInClear() {
        Versioned<TokenSet> v1 = store.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(1)).orElseThrow();
        store.compareAndSet(ORDERS, v1.version(), tokens(2)).orElseThrow();
        store.tryAcquireLease(ORDERS, java.time.Duration.ofSeconds(30)).orElseThrow();

        StringBuilder everything = new StringBuilder();
        for (String key : redis.cli("--raw", "KEYS", "*").lines().toList()) {
            everything.append(key).append('\n');
            String type = redis.cli("--raw", "TYPE", key).strip();
            everything.append(redis.cli("--raw", type.equals("hash") ? "HGETALL" : "GET", key));
        }
        String scanned = everything.toString();
        assertTrue(scanned.contains(ORDERS.value()), scanned);
        for (String secret : List.of("access-token-2-xyzzy", "refresh-token-2-plugh", "access-token-1-xyzzy",
                "refresh-token-1-plugh", "xyzzy", "plugh", "orders-client")) {
            assertFalse(scanned.contains(secret), secret + " is stored in clear");
        }
    }

    /** NOSCRIPT after SCRIPT FLUSH (what a Redis restart does): EVALSHA falls back to EVAL and the write succeeds. */
    @Test
    void compareAndSetAfterScriptFlushThenFallsBackToEval() {
        Versioned<TokenSet> v1 = store.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(1)).orElseThrow();
        redis.cli("SCRIPT", "FLUSH");
        assertEquals("0", redis.cli("SCRIPT", "EXISTS", RedisScript.COMPARE_AND_SET.sha()).lines()
                .map(l -> l.replaceFirst("^\\d+\\) ", "")).findFirst().orElseThrow().replace("(integer) ", "").strip());

        Versioned<TokenSet> v2 = store.compareAndSet(ORDERS, v1.version(), tokens(2)).orElseThrow();

        assertEquals(Optional.of(v2), store.load(ORDERS));
        assertTrue(redis.cli("SCRIPT", "EXISTS", RedisScript.COMPARE_AND_SET.sha()).contains("1"));
    }

    /** A compare-and-set that reaches the server twice (re-sent after a reconnect) reports its write both times. */
    @Test
    void compareAndSetSentTwiceThenTheCopyReportsTheSameVersion() {
        RedisKeys keys = RedisKeys.of("camel-oauth", ORDERS);
        byte[] sealed = com.cameloauth.token.store.TokenSetCipher.fromBase64Key(RedisTestSupport.KEY)
                .seal(ORDERS, tokens(1));
        byte[] writeId = "write-1".getBytes(StandardCharsets.US_ASCII);
        try (LettuceConnection connection = LettuceConnection.open(RedisTestSupport.settings(redis))) {
            long first = connection.script(RedisScript.COMPARE_AND_SET, keys.forToken(), ascii(0), sealed, writeId);
            long copy = connection.script(RedisScript.COMPARE_AND_SET, keys.forToken(), ascii(0), sealed, writeId);
            long other = connection.script(RedisScript.COMPARE_AND_SET, keys.forToken(), ascii(0), sealed,
                    ascii("write-2"));

            assertTrue(first > 0);
            assertEquals(first, copy);
            assertEquals(0, other, "another writer from the same version still loses");
        }
        assertEquals(tokens(1), store.load(ORDERS).orElseThrow().value());
    }

    /** Redis without persistence restarts empty: versions handed out after it are still above every earlier one. */
    @Test
    void versionsAfterRedisLosesItsDataStillIncrease() {
        Versioned<TokenSet> before = store.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(1)).orElseThrow();
        redis.cli("FLUSHALL");

        Versioned<TokenSet> after = store.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(2)).orElseThrow();

        assertTrue(after.version() > before.version(), after.version() + " > " + before.version());
        assertEquals(Optional.empty(), store.compareAndSet(ORDERS, before.version(), tokens(3)));
    }

    private static byte[] ascii(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.US_ASCII);
    }
}
