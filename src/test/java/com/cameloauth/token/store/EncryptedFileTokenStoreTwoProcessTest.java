package com.cameloauth.token.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs share one file store, as two instances on one host would. When both rotate the same key at once, the
 * store's version counter counts every write, so if no update was lost the final version equals the number of
 * successful compare-and-sets of both processes.
 */
class EncryptedFileTokenStoreTwoProcessTest {
    private static final int ROTATIONS = 150;

    @TempDir
    Path dir;

    private final String key = randomKey();
    private Path file;

    private static String randomKey() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    private Process child(String mode) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                FileStoreRotator.class.getName(), file.toString(), key, mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void twoProcessesRotatingOneKeyThenNoUpdateIsLost() throws Exception {
        file = dir.resolve("shared.bin");
        try (TokenStore store = EncryptedFileTokenStore.open(file, key)) {
            Process child = child(Integer.toString(ROTATIONS));
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("ready", out.readLine());
                Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
                in.write("go\n");
                in.flush();

                int lostHere = FileStoreRotator.rotate(store, ROTATIONS, "parent");

                assertEquals("done", out.readLine());
                child.waitFor(60, TimeUnit.SECONDS);
                assertEquals(0, child.exitValue());
                Versioned<TokenSet> last = store.load(Tokens.ORDERS).orElseThrow();
                assertEquals(2L * ROTATIONS, last.version(), "every successful compare-and-set is in the file");
                System.out.println("two-process rotation: " + lostHere + " races lost by the parent");
            } finally {
                child.destroyForcibly();
            }
        }
    }

    /** One token request at a time per key across processes; a holder that dies frees the lease with it. */
    @Test
    void leaseHeldByAnotherProcessThenRefusedUntilThatProcessDies() throws Exception {
        file = dir.resolve("leased.bin");
        try (TokenStore store = EncryptedFileTokenStore.open(file, key)) {
            Process child = child("lease");
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("leased", out.readLine());

                assertEquals(Optional.empty(), store.tryAcquireLease(Tokens.ORDERS, Duration.ofSeconds(30)));
                assertTrue(store.tryAcquireLease(Tokens.BILLING, Duration.ofSeconds(30)).isPresent(), "other keys are free");

                Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
                in.write("halt\n");
                in.flush();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                assertTrue(store.tryAcquireLease(Tokens.ORDERS, Duration.ofSeconds(30)).isPresent());
            } finally {
                child.destroyForcibly();
            }
        }
    }
}
