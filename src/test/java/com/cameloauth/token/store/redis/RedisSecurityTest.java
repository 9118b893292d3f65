package com.cameloauth.token.store.redis;

import static com.cameloauth.token.store.redis.RedisTestSupport.BILLING;
import static com.cameloauth.token.store.redis.RedisTestSupport.KEY;
import static com.cameloauth.token.store.redis.RedisTestSupport.ORDERS;
import static com.cameloauth.token.store.redis.RedisTestSupport.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.cameloauth.testsupport.redis.RedisServer;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.token.store.TokenStore;
import com.cameloauth.token.store.TokenStoreException;
import com.cameloauth.token.store.TokenStoreException.Reason;
import com.cameloauth.token.store.Versioned;

/** Credentials, ACLs, TLS and the encryption key; no message ever shows a password or a token. */
class RedisSecurityTest {
    private static final String PASSWORD = "s3cret-redis-pw";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static RedisServer aclServer() {
        return RedisServer.start("--user", "app", "on", ">" + PASSWORD, "~camel-oauth:*", "+@all");
    }

    @Test
    void aclUserAndPasswordInTheUrlThenTheStoreWorks() {
        try (RedisServer redis = aclServer();
                RedisTokenStore store = RedisTokenStore.open(
                        RedisStoreSettings.of(redis.url("app", PASSWORD), KEY).withTimeout(TIMEOUT))) {
            Versioned<TokenSet> v1 = store.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(1)).orElseThrow();
            assertEquals(tokens(1), store.load(ORDERS).orElseThrow().value());
            assertTrue(store.compareAndDelete(ORDERS, v1.version()));
            assertTrue(store.tryAcquireLease(ORDERS, Duration.ofSeconds(5)).isPresent());
            assertFalse(store.toString().contains(PASSWORD), store.toString());
        }
    }

    @Test
    void aclUserAndPasswordGivenSeparatelyThenTheStoreWorks() {
        try (RedisServer redis = aclServer();
                RedisTokenStore store = RedisTokenStore.open(RedisStoreSettings.of(redis.url(), KEY)
                        .withCredentials("app", PASSWORD).withTimeout(TIMEOUT))) {
            assertTrue(store.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(1)).isPresent());
        }
    }

    @Test
    void wrongPasswordThenARefusalThatNamesNeitherPasswordNorUrl() {
        try (RedisServer redis = aclServer()) {
            RedisStoreSettings settings = RedisStoreSettings.of(redis.url("app", "wrong-" + PASSWORD), KEY);

            TokenStoreException refused = assertThrows(TokenStoreException.class, () -> RedisTokenStore.open(settings));

            assertEquals(Reason.IO, refused.reason(), refused.getMessage());
            assertTrue(refused.getMessage().contains("refused access (WRONGPASS)"), refused.getMessage());
            assertNoSecretIn(refused, PASSWORD);
            assertFalse(settings.toString().contains(PASSWORD), settings.toString());
        }
    }

    /** The ACL allows ~camel-oauth:* only: another prefix is refused with a message that says what to check. */
    @Test
    void keysOutsideTheAclPatternThenRefusedWithAClearMessage() {
        try (RedisServer redis = aclServer();
                RedisTokenStore store = RedisTokenStore.open(RedisStoreSettings.of(redis.url("app", PASSWORD), KEY)
                        .withTimeout(TIMEOUT).withKeyPrefix("elsewhere"))) {
            TokenStoreException refused = assertThrows(TokenStoreException.class,
                    () -> store.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(1)));

            assertEquals(Reason.IO, refused.reason());
            assertTrue(refused.getMessage().contains("NOPERM"), refused.getMessage());
        }
    }

    @Test
    void rediss_withTheServersCertificateTrustedThenTheStoreWorks() {
        try (RedisServer redis = RedisServer.startTls();
                RedisTokenStore store = RedisTokenStore.open(RedisStoreSettings.of(redis.url(), KEY)
                        .withTimeout(TIMEOUT).withTrustedCertificates(redis.certificate()))) {
            assertTrue(store.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(1)).isPresent());
            assertEquals(tokens(1), store.load(ORDERS).orElseThrow().value());
        }
    }

    /** C9: no trust-all. A self-signed server certificate that is not configured as trusted is refused. */
    @Test
    void rediss_withAnUntrustedCertificateThenRefused() {
        try (RedisServer redis = RedisServer.startTls()) {
            TokenStoreException refused = assertThrows(TokenStoreException.class,
                    () -> RedisTokenStore.open(RedisStoreSettings.of(redis.url(), KEY).withTimeout(TIMEOUT)));

            assertEquals(Reason.IO, refused.reason(), refused.getMessage());
            assertTrue(refused.getMessage().contains("TLS with the Redis token store at " + redis.url()),
                    refused.getMessage());
        }
    }

    @Test
    void anotherEncryptionKeyThenWrongKeyAndNoToken() {
        try (RedisServer redis = RedisServer.start();
                RedisTokenStore writer = RedisTestSupport.open(redis);
                RedisTokenStore reader = RedisTokenStore.open(
                        RedisStoreSettings.of(redis.url(), RedisTestSupport.randomKey()).withTimeout(TIMEOUT))) {
            writer.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(1)).orElseThrow();

            TokenStoreException wrong = assertThrows(TokenStoreException.class, () -> reader.load(ORDERS));

            assertEquals(Reason.WRONG_KEY, wrong.reason(), wrong.getMessage());
            assertNoSecretIn(wrong, "xyzzy");
        }
    }

    /** An entry copied under another connection's key is not handed to that connection. */
    @Test
    void entryCopiedUnderAnotherKeyThenCorrupt() {
        try (RedisServer redis = RedisServer.start(); RedisTokenStore store = RedisTestSupport.open(redis)) {
            store.compareAndSet(ORDERS, TokenStore.ABSENT, tokens(1)).orElseThrow();
            redis.cli("COPY", RedisKeys.of("camel-oauth", ORDERS).token(), RedisKeys.of("camel-oauth", BILLING).token());

            TokenStoreException copied = assertThrows(TokenStoreException.class, () -> store.load(BILLING));

            assertEquals(Reason.CORRUPT, copied.reason(), copied.getMessage());
        }
    }

    @Test
    void invalidUrlThenAMessageWithoutThePassword() {
        TokenStoreException invalid = assertThrows(TokenStoreException.class,
                () -> RedisStoreSettings.of("redis://app:" + PASSWORD + "@bad host:6379", KEY));
        assertNoSecretIn(invalid, PASSWORD);
        TokenStoreException scheme = assertThrows(TokenStoreException.class,
                () -> RedisStoreSettings.of("http://app:" + PASSWORD + "@host:6379", KEY));
        assertNoSecretIn(scheme, PASSWORD);
        assertEquals(Reason.INVALID_KEY, assertThrows(TokenStoreException.class,
                () -> RedisTokenStore.open(RedisStoreSettings.of("redis://127.0.0.1:1", "c2hvcnQ="))).reason());
    }

    /** lettuce-core is optional: without it the store class still loads and open() says what to add. */
    @Test
    void withoutLettuceThenOpenSaysWhichDependencyToAdd() throws Exception {
        ClassLoader noLettuce = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("io.lettuce.")) {
                    throw new ClassNotFoundException(name);
                }
                return super.loadClass(name, resolve);
            }
        };
        URL classes = RedisTokenStore.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader app = new OursFirst(classes, noLettuce)) {
            Class<?> settingsType = app.loadClass(RedisStoreSettings.class.getName());
            Object settings = settingsType.getMethod("of", String.class, String.class).invoke(null,
                    "redis://127.0.0.1:1", KEY);
            Class<?> storeType = app.loadClass(RedisTokenStore.class.getName());

            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> storeType.getMethod("open", settingsType).invoke(null, settings));

            assertEquals(TokenStoreException.class.getName(), e.getCause().getClass().getName());
            assertTrue(e.getCause().getMessage().contains("io.lettuce:lettuce-core"), e.getCause().getMessage());
        }
    }

    private static void assertNoSecretIn(Throwable error, String secret) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), t.toString());
            for (Throwable s : t.getSuppressed()) {
                assertFalse(String.valueOf(s.getMessage()).contains(secret), s.toString());
            }
        }
    }

    /** Loads our classes itself (so they see {@code noLettuce}), everything else from the parent. */
    private static final class OursFirst extends URLClassLoader {
        OursFirst(URL classes, ClassLoader parent) {
            super(new URL[] {classes}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("com.cameloauth.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }
    }
}
