package com.cameloauth.token.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The second process of {@link EncryptedFileTokenStoreTwoProcessTest}: {@code <file> <base64 key> <rotations>} prints
 * "ready", waits for a line on stdin, rotates one key that many times (load, compare-and-set, retry on a lost race)
 * and prints "done". {@code <file> <base64 key> lease} takes the lease of that key, prints "leased" and halts when
 * stdin gets a line, without releasing it (as a crash would).
 */
public final class FileStoreRotator {

    public static void main(String[] args) throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if ("lease".equals(args[2])) {
            TokenStore store = EncryptedFileTokenStore.open(Path.of(args[0]), args[1]);
            store.tryAcquireLease(Tokens.ORDERS, Duration.ofMinutes(1)).orElseThrow();
            System.out.println("leased");
            System.out.flush();
            stdin.readLine();
            Runtime.getRuntime().halt(0);
        }
        int rotations = Integer.parseInt(args[2]);
        try (TokenStore store = EncryptedFileTokenStore.open(Path.of(args[0]), args[1])) {
            System.out.println("ready");
            System.out.flush();
            stdin.readLine();
            rotate(store, rotations, "child");
        }
        System.out.println("done");
    }

    /** Makes {@code rotations} successful compare-and-sets on {@link Tokens#ORDERS}; returns the lost races. */
    static int rotate(TokenStore store, int rotations, String who) {
        int lost = 0;
        for (int done = 0; done < rotations;) {
            Optional<Versioned<TokenSet>> current = store.load(Tokens.ORDERS);
            long expected = current.map(Versioned::version).orElse(TokenStore.ABSENT);
            TokenSet next = Tokens.accessOnly(who + "-" + done);
            if (store.compareAndSet(Tokens.ORDERS, expected, next).isPresent()) {
                done++;
            } else {
                lost++;
            }
        }
        return lost;
    }
}
