package com.cameloauth.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.smallrye.config.PropertiesConfigSource;

import com.cameloauth.connection.SecurityPolicyReader.Support;

/** {@code oauth.store.*}: validated into {@link StoreSettings}, reported one line per key, never showing the key. */
class StoreSettingsTest {
    /** Base64 of 32 bytes: a valid AES-256 key. */
    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789ABCDEF".getBytes());
    /** Base64 of 16 bytes, recognisable in a message. */
    private static final String SHORT_KEY = Base64.getEncoder().encodeToString("shortkey-Qz81Vb!".getBytes());
    private static final String NOT_BASE64 = "not base64 at all: Wk2$-never-shown";

    private static Map<String, String> store(String... keyValues) {
        Map<String, String> p = new HashMap<>(Map.of("oauth.connections.orders.policy", "none",
                "oauth.connections.orders.base-url", "https://api.example.com"));
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put("oauth.store." + keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    private static StoreSettings settings(Map<String, String> properties) {
        return ConnectionDefinitions.settingsFromProperties(properties, Support.ENGINE).store();
    }

    private static List<String> problems(Map<String, String> properties) {
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> ConnectionDefinitions.fromProperties(properties));
        for (String secret : List.of(KEY, SHORT_KEY, NOT_BASE64, "shortkey", "Wk2$")) {
            assertFalse(e.getMessage().contains(secret), () -> "message shows the key: " + e.getMessage());
        }
        return e.problems();
    }

    @Test
    void nothingSetThenMemory() {
        assertEquals(StoreSettings.MEMORY, settings(store()));
        assertEquals(StoreSettings.Type.MEMORY, settings(store("type", "memory")).type());
    }

    @Test
    void fileWithPathAndKeyThenFileStore() {
        StoreSettings s = settings(store("type", "file", "file.path", "/var/lib/oauth/tokens.bin", "encryption-key", KEY));

        assertEquals(StoreSettings.Type.FILE, s.type());
        assertEquals(Optional.of(Path.of("/var/lib/oauth/tokens.bin")), s.filePath());
        assertArrayEquals("0123456789abcdef0123456789ABCDEF".getBytes(), s.encryptionKeyBytes().orElseThrow());
        assertFalse(s.toString().contains(KEY), s::toString);
    }

    @ParameterizedTest(name = "{0}={1}: {3}")
    @CsvSource(delimiter = '|', value = {
            "type | disk | oauth.store.type | unknown store type 'disk' (use one of: memory, file, redis)",
            "type | rediss | oauth.store.type | did you mean 'redis'?",
            "type | fiel | oauth.store.type | did you mean 'file'?",
    })
    void badTypeThenOneLineNamingTheKey(String key, String value, String reported, String expected) {
        List<String> problems = problems(store(key, value));

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("key '" + reported + "': "), problems::toString);
        assertTrue(problems.get(0).contains(expected), problems::toString);
    }

    @Test
    void fileWithoutPathOrKeyThenBothMissing() {
        assertEquals(List.of(
                "key 'oauth.store.encryption-key': missing (set oauth.store.encryption-key for the file store: base64 of"
                        + " 32 random bytes, e.g. from openssl rand -base64 32)",
                "key 'oauth.store.file.path': missing (set oauth.store.file.path for the file store)"),
                problems(store("type", "file")));
    }

    @Test
    void keyOfTheWrongLengthThenRefusedWithoutShowingIt() {
        assertEquals(List.of("key 'oauth.store.encryption-key': decodes to 16 bytes (the value is not shown); an AES-256"
                + " key is 32 bytes: base64 of 32 random bytes, e.g. from openssl rand -base64 32"),
                problems(store("type", "file", "file.path", "tokens.bin", "encryption-key", SHORT_KEY)));
    }

    @Test
    void keyThatIsNotBase64ThenRefusedWithoutShowingIt() {
        assertEquals(List.of("key 'oauth.store.encryption-key': is not base64 (the value is not shown); it must be base64"
                + " of 32 random bytes, e.g. from openssl rand -base64 32"),
                problems(store("type", "file", "file.path", "tokens.bin", "encryption-key", NOT_BASE64)));
    }

    @Test
    void fileSettingsWithTheMemoryStoreThenReportedRatherThanIgnored() {
        // Tokens would silently stay in memory, and consented refresh tokens be lost on restart.
        assertEquals(List.of(
                "key 'oauth.store.encryption-key': is set, but oauth.store.type is memory; set oauth.store.type=file or"
                        + " redis to keep tokens encrypted in a file or in Redis",
                "key 'oauth.store.file.path': is set, but oauth.store.type is memory; set oauth.store.type=file to keep"
                        + " tokens in an encrypted file"),
                problems(store("file.path", "tokens.bin", "encryption-key", KEY)));
    }

    @Test
    void misspeltStoreKeyThenUnknownWithTheNearestKey() {
        List<String> problems = problems(store("encryption-kye", KEY));

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("key 'oauth.store.encryption-kye': unknown"), problems::toString);
        assertTrue(problems.get(0).contains("did you mean 'oauth.store.encryption-key'?"), problems::toString);
    }

    @Test
    void keyFromAnEnvironmentVariableThenAccepted() {
        Map<String, String> env = Map.of("OAUTH_STORE_ENCRYPTION_KEY", KEY, "OAUTH_STORE_TYPE", "file",
                "OAUTH_STORE_FILE_PATH", "/tmp/tokens.bin");

        StoreSettings s = ConnectionDefinitions.load(List.of(new PropertiesConfigSource(store(), "p", 250)), env,
                Support.ENGINE).store();

        assertEquals(StoreSettings.Type.FILE, s.type());
        assertEquals(Optional.of(Path.of("/tmp/tokens.bin")), s.filePath());
        assertEquals(KEY, s.encryptionKey().orElseThrow().reveal());
    }

    @Test
    void unsetVariableForTheKeyThenNamedNotMissing() {
        assertEquals(List.of("key 'oauth.store.encryption-key': variable 'CAMEL_OAUTH_TEST_UNSET_STORE_KEY' is not set"
                + " (${CAMEL_OAUTH_TEST_UNSET_STORE_KEY})"),
                problems(store("type", "file", "file.path", "tokens.bin",
                        "encryption-key", "${CAMEL_OAUTH_TEST_UNSET_STORE_KEY}")));
    }

    @Test
    void storeProblemsThenReportedWithTheConnectionProblems() {
        Map<String, String> p = store("type", "redis");
        p.remove("oauth.connections.orders.base-url");

        List<String> problems = problems(p);

        assertEquals(3, problems.size(), problems::toString);
        assertEquals("connection 'orders': key 'base-url': missing (set oauth.connections.orders.base-url)",
                problems.get(0));
        assertTrue(problems.contains("key 'oauth.store.redis.url': missing (set oauth.store.redis.url for the redis"
                + " store, e.g. redis://redis.example:6379 or rediss://redis.example:6380 (TLS))"), problems::toString);
    }

    private static final String PASSWORD = "Redis-pw-never-shown-7Q";

    @Test
    void redisWithUrlAndKeyThenRedisStoreWithDefaults() {
        StoreSettings s = settings(store("type", "redis", "redis.url", "redis://app:" + PASSWORD + "@redis.example:6380",
                "encryption-key", KEY));

        assertEquals(StoreSettings.Type.REDIS, s.type());
        StoreSettings.Redis redis = s.redis().orElseThrow();
        assertEquals("redis://app:" + PASSWORD + "@redis.example:6380", redis.url().reveal());
        assertEquals(java.time.Duration.ofMillis(500), redis.timeout());
        assertEquals("camel-oauth", redis.keyPrefix());
        assertEquals(Optional.empty(), s.filePath());
        assertEquals(KEY, s.encryptionKey().orElseThrow().reveal());
        assertFalse(s.toString().contains(PASSWORD), s::toString);
        assertFalse(s.toString().contains(KEY), s::toString);
    }

    @Test
    void redisWithEveryKeyThenEachRead(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path pem = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        StoreSettings s = settings(store("type", "redis", "redis.url", "rediss://redis.example", "encryption-key", KEY,
                "redis.username", "app", "redis.password", PASSWORD, "redis.timeout", "2s",
                "redis.trusted-certificates", pem.toString(), "redis.key-prefix", "team-a"));

        StoreSettings.Redis redis = s.redis().orElseThrow();
        assertEquals(Optional.of("app"), redis.username());
        assertEquals(PASSWORD, redis.password().orElseThrow().reveal());
        assertEquals(java.time.Duration.ofSeconds(2), redis.timeout());
        assertEquals(Optional.of(pem), redis.trustedCertificates());
        assertEquals("team-a", redis.keyPrefix());
        assertFalse(s.toString().contains(PASSWORD), s::toString);
    }

    @Test
    void redisWithoutUrlOrKeyThenBothMissing() {
        assertEquals(List.of(
                "key 'oauth.store.encryption-key': missing (set oauth.store.encryption-key for the redis store (every"
                        + " instance the same key): base64 of 32 random bytes, e.g. from openssl rand -base64 32)",
                "key 'oauth.store.redis.url': missing (set oauth.store.redis.url for the redis store, e.g."
                        + " redis://redis.example:6379 or rediss://redis.example:6380 (TLS))"),
                problems(store("type", "redis")));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "redis.url | http://app:Redis-pw-never-shown-7Q@redis.example | oauth.store.redis.url | scheme 'http' is not supported; use redis:// or rediss://",
            "redis.url | redis://app:Redis-pw-never-shown-7Q@bad host:1 | oauth.store.redis.url | is not a valid URL (the value is not shown",
            "redis.url | redis:///0 | oauth.store.redis.url | has no host",
            "redis.timeout | 0s | oauth.store.redis.timeout | must be longer than zero",
            "redis.timeout | 2m | oauth.store.redis.timeout | is too long (at most 1m)",
            "redis.key-prefix | a{b} | oauth.store.redis.key-prefix | must be printable ASCII without spaces, { or }",
            "redis.trusted-certificates | /no/such/ca.pem | oauth.store.redis.trusted-certificates | is not a readable file",
    })
    void badRedisValueThenOneLineNamingTheKeyAndNoPassword(String key, String value, String reported, String expected) {
        Map<String, String> p = store("type", "redis", "redis.url", "redis://127.0.0.1:6390", "encryption-key", KEY);
        p.put("oauth.store." + key, value);

        List<String> problems = problems(p);

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("key '" + reported + "': "), problems::toString);
        assertTrue(problems.get(0).contains(expected), problems::toString);
        assertFalse(problems.get(0).contains(PASSWORD), problems::toString);
    }

    @Test
    void redisKeysWithTheFileStoreThenReportedRatherThanIgnored() {
        assertEquals(List.of("key 'oauth.store.redis.url': is set, but oauth.store.type is file; set"
                + " oauth.store.type=redis to share tokens through Redis"),
                problems(store("type", "file", "file.path", "tokens.bin", "encryption-key", KEY,
                        "redis.url", "redis://127.0.0.1:6390")));
    }

    @Test
    void redisFromEnvironmentVariablesThenAccepted() {
        Map<String, String> env = Map.of("OAUTH_STORE_TYPE", "redis", "OAUTH_STORE_ENCRYPTION_KEY", KEY,
                "OAUTH_STORE_REDIS_URL", "redis://127.0.0.1:6390", "OAUTH_STORE_REDIS_PASSWORD", PASSWORD);

        StoreSettings s = ConnectionDefinitions.load(List.of(new PropertiesConfigSource(store(), "p", 250)), env,
                Support.ENGINE).store();

        assertEquals(StoreSettings.Type.REDIS, s.type());
        assertEquals(PASSWORD, s.redis().orElseThrow().password().orElseThrow().reveal());
    }
}
