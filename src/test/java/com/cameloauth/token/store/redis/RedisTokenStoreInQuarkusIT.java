package com.cameloauth.token.store.redis;

import static com.cameloauth.token.store.redis.RedisTestSupport.ORDERS;
import static com.cameloauth.token.store.redis.RedisTestSupport.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.cameloauth.testsupport.redis.RedisServer;
import com.cameloauth.token.store.TokenStore;

import io.netty.util.Version;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Lettuce 6.8 beside Quarkus 3.31: inside the running app (Quarkus's class loader, the Netty 4.1 that Quarkus
 * manages, no override) the store connects and works.
 */
@QuarkusTest
@TestProfile(RedisTokenStoreInQuarkusIT.FreePort.class)
class RedisTokenStoreInQuarkusIT {

    public static class FreePort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.test-port", "0", "quarkus.devservices.enabled", "false");
        }
    }

    @Test
    void storeWorksInsideQuarkusOnItsNetty() throws Exception {
        String netty = Version.identify().get("netty-transport").artifactVersion();
        assertTrue(netty.startsWith("4.1."), netty);
        assertEquals(Version.class.getClassLoader(), io.lettuce.core.RedisClient.class.getClassLoader().loadClass(
                Version.class.getName()).getClassLoader(), "Lettuce sees the app's Netty");
        try (RedisServer redis = RedisServer.start(); RedisTokenStore store = RedisTestSupport.open(redis)) {
            assertTrue(store.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(1)).isPresent());
            assertEquals(tokens(1), store.load(ORDERS).orElseThrow().value());
        }
    }
}
