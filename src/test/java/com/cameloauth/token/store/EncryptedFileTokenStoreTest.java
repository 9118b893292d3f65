package com.cameloauth.token.store;

import static com.cameloauth.token.store.Tokens.BILLING;
import static com.cameloauth.token.store.Tokens.ORDERS;
import static com.cameloauth.token.store.Tokens.accessOnly;
import static com.cameloauth.token.store.Tokens.rotated;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cameloauth.token.store.TokenStoreException.Reason;

/** The file store meets the {@link TokenStoreContractTest contract}, and keeps its file encrypted and intact. */
class EncryptedFileTokenStoreTest extends TokenStoreContractTest {
    private static final String KEY = randomKey();
    private static final String OTHER_KEY = randomKey();

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("tokens").resolve("oauth-tokens.bin");
    }

    @Override
    protected TokenStore newStore() {
        return EncryptedFileTokenStore.open(file(), KEY);
    }

    @Override
    protected int raceRounds() {
        return 20;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void reopenAfterRestartThenTheSameTokenSetAndVersion() {
        Versioned<TokenSet> stored = store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();
        store.close();

        try (TokenStore restarted = EncryptedFileTokenStore.open(file(), KEY)) {
            assertEquals(Optional.of(stored), restarted.load(ORDERS));
            Versioned<TokenSet> next = restarted.compareAndSet(ORDERS, stored.version(), rotated(2)).orElseThrow();
            assertTrue(next.version() > stored.version());
        }
    }

    @Test
    void reopenAfterADeleteThenVersionsStillNeverRepeat() {
        Versioned<TokenSet> before = store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();
        store.delete(ORDERS);
        store.close();

        try (TokenStore restarted = EncryptedFileTokenStore.open(file(), KEY)) {
            Versioned<TokenSet> after = restarted.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(2)).orElseThrow();
            assertTrue(after.version() > before.version());
        }
    }

    /** Two processes on one host share the file: each re-reads under the file lock, so no update is lost. */
    @Test
    void twoStoresOnOneFileThenNoLostUpdate() {
        try (TokenStore second = EncryptedFileTokenStore.open(file(), KEY)) {
            Versioned<TokenSet> v1 = store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();

            assertEquals(Optional.empty(), second.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(99)));
            assertEquals(Optional.of(v1), second.load(ORDERS));
            Versioned<TokenSet> v2 = second.compareAndSet(ORDERS, v1.version(), rotated(2)).orElseThrow();
            assertEquals(Optional.empty(), store.compareAndSet(ORDERS, v1.version(), rotated(3)));
            assertEquals(Optional.of(v2), store.load(ORDERS));
            store.compareAndSet(BILLING, TokenStore.ABSENT, accessOnly("billing-at")).orElseThrow();
            assertEquals(Optional.of(v2), second.load(ORDERS), "a write to another key keeps this one");
        }
    }

    @Test
    void leaseIsExclusiveUntilReleasedAndFencingTokensIncrease() {
        try (TokenStore second = EncryptedFileTokenStore.open(file(), KEY)) {
            Lease first = store.tryAcquireLease(ORDERS, Duration.ofSeconds(30)).orElseThrow();

            assertEquals(Optional.empty(), second.tryAcquireLease(ORDERS, Duration.ofSeconds(30)));
            assertEquals(Optional.empty(), store.tryAcquireLease(ORDERS, Duration.ofSeconds(30)));
            Lease other = second.tryAcquireLease(BILLING, Duration.ofSeconds(30)).orElseThrow();
            second.release(first);
            assertEquals(Optional.empty(), second.tryAcquireLease(ORDERS, Duration.ofSeconds(30)),
                    "only the holder's store releases it");

            store.release(first);
            Lease next = second.tryAcquireLease(ORDERS, Duration.ofSeconds(30)).orElseThrow();
            assertTrue(other.fencingToken() > first.fencingToken());
            assertTrue(next.fencingToken() > other.fencingToken());
            assertFalse(next.isLocal());
        }
    }

    @Test
    void leaseEndsWhenItsStoreCloses() {
        try (TokenStore second = EncryptedFileTokenStore.open(file(), KEY)) {
            second.tryAcquireLease(ORDERS, Duration.ofSeconds(30)).orElseThrow();
            assertEquals(Optional.empty(), store.tryAcquireLease(ORDERS, Duration.ofSeconds(30)));
        }
        assertTrue(store.tryAcquireLease(ORDERS, Duration.ofSeconds(30)).isPresent());
    }

    @Test
    void fileHoldsNoTokenInClear() throws Exception {
        TokenSet set = rotated(7);
        store.compareAndSet(ORDERS, TokenStore.ABSENT, set).orElseThrow();
        store.compareAndSet(BILLING, TokenStore.ABSENT, accessOnly("billing-access-token-qwerty")).orElseThrow();

        byte[] bytes = Files.readAllBytes(file());
        List<String> secrets = List.of(set.accessToken(), set.refreshToken().orElseThrow(), "billing-access-token-qwerty");
        for (String secret : secrets) {
            for (String form : encodings(secret)) {
                assertFalse(contains(bytes, form.getBytes(StandardCharsets.UTF_8)), "found " + form);
            }
        }
        for (String name : List.of("orders", "billing", "Bearer")) {
            assertFalse(contains(bytes, name.getBytes(StandardCharsets.UTF_8)), "found " + name);
        }
        assertFalse(contains(bytes, set.refreshToken().orElseThrow().getBytes(StandardCharsets.UTF_16BE)));
    }

    /** The token itself, its base64 in all three alignments, URL-safe and hex. */
    private static List<String> encodings(String secret) {
        List<String> forms = new ArrayList<>(List.of(secret, HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8))));
        for (String prefix : List.of("", "x", "xy")) {
            String b64 = Base64.getEncoder().withoutPadding().encodeToString((prefix + secret).getBytes(StandardCharsets.UTF_8));
            String core = b64.substring((prefix.length() * 4 + 2) / 3 + 1, b64.length() - 2);
            forms.add(core);
            forms.add(core.replace('+', '-').replace('/', '_'));
        }
        return forms;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void fileAndLockFileAreOwnerOnly() throws Exception {
        store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();

        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file()));
        Path lock = file().resolveSibling("oauth-tokens.bin.lock");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(lock));
        try (var listing = Files.list(file().getParent())) {
            assertEquals(Set.of("oauth-tokens.bin", "oauth-tokens.bin.lock"),
                    listing.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "no temporary file is left behind");
        }
    }

    @Test
    void openWhenTheFileWasReadableByOthersThenRewrittenOwnerOnly() throws Exception {
        store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();
        store.close();
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-r--r--"));

        try (TokenStore reopened = EncryptedFileTokenStore.open(file(), KEY)) {
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file()));
            assertEquals(rotated(1), reopened.load(ORDERS).orElseThrow().value());
        }
    }

    @Test
    void everyWriteUsesAFreshNonce() throws Exception {
        Set<String> nonces = new HashSet<>();
        Set<String> files = new HashSet<>();
        long version = TokenStore.ABSENT;
        for (int i = 0; i < 10; i++) {
            store.delete(ORDERS);
            version = store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow().version();
            store.delete(BILLING);
            store.compareAndSet(BILLING, TokenStore.ABSENT, accessOnly("same")).orElseThrow();
            byte[] bytes = Files.readAllBytes(file());
            nonces.add(HexFormat.of().formatHex(bytes, StoreFileCipher.HEADER_BYTES, StoreFileCipher.HEADER_BYTES + 12));
            files.add(HexFormat.of().formatHex(bytes));
        }
        assertEquals(10, nonces.size());
        assertEquals(10, files.size());
        assertTrue(version > 0);
    }

    @Test
    void sealingTheSameContentTwiceGivesDifferentBytes() {
        StoreFileCipher cipher = new StoreFileCipher(Base64.getDecoder().decode(KEY));
        byte[] plain = "the same content".getBytes(StandardCharsets.UTF_8);

        byte[] first = cipher.seal(plain);
        byte[] second = cipher.seal(plain);

        assertFalse(Arrays.equals(first, second));
        assertArrayEquals(plain, cipher.open(first, "a"));
        assertArrayEquals(plain, cipher.open(second, "b"));
    }

    @Test
    void openWithAnotherKeyThenRefusedAsWrongKey() {
        store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();
        store.close();

        TokenStoreException e = assertThrows(TokenStoreException.class,
                () -> EncryptedFileTokenStore.open(file(), OTHER_KEY));

        assertEquals(Reason.WRONG_KEY, e.reason());
        assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("different encryption key"), e.getMessage());
        assertSafe(e);
    }

    @Test
    void openWhenAnyByteWasFlippedThenRefused() throws Exception {
        store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();
        store.close();
        byte[] good = Files.readAllBytes(file());

        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            Files.write(file(), bad);
            int at = i;
            TokenStoreException e = assertThrows(TokenStoreException.class,
                    () -> EncryptedFileTokenStore.open(file(), KEY), "byte " + at);
            assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
            assertSafe(e);
            if (at >= StoreFileCipher.HEADER_BYTES) {
                assertEquals(Reason.CORRUPT, e.reason(), "byte " + at);
                assertTrue(e.getMessage().contains("modified, truncated or damaged"), e.getMessage());
            }
        }
        Files.write(file(), good);
        try (TokenStore intact = EncryptedFileTokenStore.open(file(), KEY)) {
            assertEquals(rotated(1), intact.load(ORDERS).orElseThrow().value());
        }
    }

    @Test
    void openWhenTheFileIsTruncatedThenRefused() throws Exception {
        store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();
        store.close();
        byte[] good = Files.readAllBytes(file());

        for (int length : new int[] {0, 2, 4, 5, 13, 25, 40, good.length / 2, good.length - 1}) {
            Files.write(file(), Arrays.copyOf(good, length));
            TokenStoreException e = assertThrows(TokenStoreException.class,
                    () -> EncryptedFileTokenStore.open(file(), KEY), "length " + length);
            assertEquals(Reason.CORRUPT, e.reason(), "length " + length + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
            assertSafe(e);
        }
    }

    @Test
    void openWhenTheFormatVersionIsUnknownThenSaysSo() throws Exception {
        store.close();
        byte[] bytes = Files.readAllBytes(file());
        bytes[4] = 9;
        Files.write(file(), bytes);

        TokenStoreException e = assertThrows(TokenStoreException.class, () -> EncryptedFileTokenStore.open(file(), KEY));

        assertEquals(Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("format version 9"), e.getMessage());
    }

    /** Tests run as root, where permission bits stop nothing: a parent that is a regular file does. */
    @Test
    void openWhenAParentIsAFileThenRefusedNamingThePath() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        Path path = notADirectory.resolve("store").resolve("tokens.bin");

        TokenStoreException e = assertThrows(TokenStoreException.class, () -> EncryptedFileTokenStore.open(path, KEY));

        assertEquals(Reason.IO, e.reason());
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("oauth.store.file.path"), e.getMessage());
        assertSafe(e);
    }

    @Test
    void openWhenThePathIsADirectoryThenRefusedNamingThePath() throws Exception {
        Path path = Files.createDirectories(dir.resolve("a-directory"));

        TokenStoreException e = assertThrows(TokenStoreException.class, () -> EncryptedFileTokenStore.open(path, KEY));

        assertEquals(Reason.IO, e.reason());
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
    }

    @Test
    void keyOfTheWrongLengthIsRefusedWithoutPrintingIt() {
        for (int length : new int[] {0, 16, 24, 31, 33, 64}) {
            byte[] raw = new byte[length];
            new SecureRandom().nextBytes(raw);
            String key = Base64.getEncoder().encodeToString(raw);
            Path path = dir.resolve("never-" + length + ".bin");

            TokenStoreException e = assertThrows(TokenStoreException.class, () -> EncryptedFileTokenStore.open(path, key));

            assertEquals(Reason.INVALID_KEY, e.reason());
            assertTrue(e.getMessage().contains("32 bytes"), e.getMessage());
            if (!key.isEmpty()) {
                assertNoKeyIn(e, key);
            }
            assertFalse(Files.exists(path), "nothing is created with an invalid key");
        }
    }

    @Test
    void keyThatIsNotBase64IsRefusedWithoutPrintingIt() {
        String key = "not*base64*Secret%Value!";

        TokenStoreException e = assertThrows(TokenStoreException.class, () -> EncryptedFileTokenStore.open(file(), key));

        assertEquals(Reason.INVALID_KEY, e.reason());
        assertTrue(e.getMessage().contains("not valid base64"), e.getMessage());
        assertNoKeyIn(e, key);
        assertNoKeyIn(e, "*");
    }

    @Test
    void tokenSetHasNoPlaceForAClientSecret() {
        assertEquals(List.of("accessToken", "tokenType", "receivedAt", "expiresAt", "scopes", "refreshToken",
                "refreshTokenExpiresAt"),
                Arrays.stream(TokenSet.class.getRecordComponents()).map(c -> c.getName()).toList());
    }

    private static void assertSafe(TokenStoreException e) {
        assertNoKeyIn(e, KEY);
        assertNoKeyIn(e, rotated(1).accessToken());
        assertNoKeyIn(e, rotated(1).refreshToken().orElseThrow());
    }

    private static void assertNoKeyIn(Throwable e, String secret) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), t.toString());
            assertNotEquals(secret, t.getMessage());
        }
    }
}
