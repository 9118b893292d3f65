package com.cameloauth.token.store.redis;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.cameloauth.token.store.StoreKey;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.testsupport.redis.RedisServer;

/** Keys, token sets with recognisable values, and stores for the Redis tests. */
final class RedisTestSupport {
    static final String KEY = randomKey();
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final StoreKey ORDERS = StoreKey.of("orders", "https://idp.example/token", "orders-client",
            List.of("read"), "authorization_code");
    static final StoreKey BILLING = StoreKey.of("billing", "https://idp.example/token", "billing-client",
            List.of("bill"), "client_credentials");

    private RedisTestSupport() {
    }

    static TokenSet tokens(int generation) {
        return new TokenSet("access-token-" + generation + "-xyzzy", "Bearer", NOW, NOW.plusSeconds(300),
                List.of("read"), Optional.of("refresh-token-" + generation + "-plugh"), Optional.empty());
    }

    /** Settings with a generous timeout: only the fault tests, which expect failures, use the 500 ms default. */
    static RedisStoreSettings settings(RedisServer server) {
        return RedisStoreSettings.of(server.url(), KEY).withTimeout(Duration.ofSeconds(10));
    }

    static RedisTokenStore open(RedisServer server) {
        return RedisTokenStore.open(settings(server));
    }

    static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
