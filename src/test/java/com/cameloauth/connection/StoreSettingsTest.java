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
            "type | redis | oauth.store.type | store type 'redis' is not available in this version (use one of: memory, file)",
            "type | disk | oauth.store.type | unknown store type 'disk' (use one of: memory, file)",
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
                "key 'oauth.store.encryption-key': is set, but oauth.store.type is memory; set oauth.store.type=file to"
                        + " keep tokens in an encrypted file",
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

        assertEquals(List.of("connection 'orders': key 'base-url': missing (set oauth.connections.orders.base-url)",
                "key 'oauth.store.type': store type 'redis' is not available in this version (use one of: memory, file)"),
                problems(p));
    }
}
