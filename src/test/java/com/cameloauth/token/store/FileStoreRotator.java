package com.cameloauth.token.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Rotates one key a number of times through an {@link EncryptedFileTokenStore}: load, compare-and-set, retry on a lost
 * race. Run in a second JVM by {@link EncryptedFileTokenStoreTwoProcessTest}: {@code <file> <base64 key> <rotations>}.
 * Prints "ready", waits for a line on stdin, rotates, prints "done".
 */
public final class FileStoreRotator {

    public static void main(String[] args) throws Exception {
        int rotations = Integer.parseInt(args[2]);
        try (TokenStore store = EncryptedFileTokenStore.open(Path.of(args[0]), args[1])) {
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
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
