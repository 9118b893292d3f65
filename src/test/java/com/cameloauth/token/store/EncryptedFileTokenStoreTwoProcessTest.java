package com.cameloauth.token.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs rotate the same key through one file at the same time. The store's version counter counts every write,
 * so if no update was lost the final version equals the number of successful compare-and-sets of both processes.
 */
class EncryptedFileTokenStoreTwoProcessTest {
    private static final int ROTATIONS = 150;

    @TempDir
    Path dir;

    @Test
    void twoProcessesRotatingOneKeyThenNoUpdateIsLost() throws Exception {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String key = Base64.getEncoder().encodeToString(raw);
        Path file = dir.resolve("shared.bin");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");

        try (TokenStore store = EncryptedFileTokenStore.open(file, key)) {
            Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    FileStoreRotator.class.getName(), file.toString(), key, Integer.toString(ROTATIONS))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
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
}
