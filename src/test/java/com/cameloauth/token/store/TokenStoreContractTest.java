package com.cameloauth.token.store;

import static com.cameloauth.token.store.Tokens.BILLING;
import static com.cameloauth.token.store.Tokens.ORDERS;
import static com.cameloauth.token.store.Tokens.accessOnly;
import static com.cameloauth.token.store.Tokens.rotated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link TokenStore} contract, run against every store: the in-memory and the file store here, the Redis store
 * later (extend this class and implement {@link #newStore()}).
 */
public abstract class TokenStoreContractTest {
    private static final int RACERS = 8;

    protected TokenStore store;
    private final ExecutorService racers = Executors.newFixedThreadPool(RACERS);

    /** A fresh, empty store. */
    protected abstract TokenStore newStore() throws Exception;

    /** How many rotation races to run (file stores fsync on every write). */
    protected int raceRounds() {
        return 100;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        racers.shutdownNow();
        racers.awaitTermination(5, TimeUnit.SECONDS);
        store.close();
    }

    @Test
    void loadWhenNothingStoredThenEmpty() {
        assertEquals(Optional.empty(), store.load(ORDERS));
    }

    @Test
    void compareAndSetFromAbsentThenStoredWithAPositiveVersion() {
        Versioned<TokenSet> stored = store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();

        assertTrue(stored.version() > TokenStore.ABSENT);
        assertEquals(rotated(1), stored.value());
        assertEquals(Optional.of(stored), store.load(ORDERS));
    }

    @Test
    void compareAndSetFromAbsentWhenPresentThenLosesAndKeepsTheEntry() {
        Versioned<TokenSet> first = store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();

        assertEquals(Optional.empty(), store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(2)));
        assertEquals(Optional.of(first), store.load(ORDERS));
    }

    @Test
    void compareAndSetWithTheCurrentVersionThenReplacesWithAGreaterVersion() {
        Versioned<TokenSet> v1 = store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();
        Versioned<TokenSet> v2 = store.compareAndSet(ORDERS, v1.version(), rotated(2)).orElseThrow();

        assertTrue(v2.version() > v1.version());
        assertEquals(Optional.of(v2), store.load(ORDERS));
    }

    @Test
    void compareAndSetWithAStaleVersionThenLoses() {
        Versioned<TokenSet> v1 = store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();
        Versioned<TokenSet> v2 = store.compareAndSet(ORDERS, v1.version(), rotated(2)).orElseThrow();

        assertEquals(Optional.empty(), store.compareAndSet(ORDERS, v1.version(), rotated(3)));
        assertEquals(Optional.of(v2), store.load(ORDERS));
    }

    @Test
    void keysAreIndependent() {
        Versioned<TokenSet> orders = store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();
        Versioned<TokenSet> billing = store.compareAndSet(BILLING, TokenStore.ABSENT, accessOnly("billing-at")).orElseThrow();
        store.delete(BILLING);

        assertEquals(Optional.of(orders), store.load(ORDERS));
        assertEquals(Optional.empty(), store.load(BILLING));
        assertTrue(billing.version() != orders.version());
    }

    @Test
    void deleteThenAbsentAndAnOldVersionNeverMatchesAgain() {
        Versioned<TokenSet> before = store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();
        store.delete(ORDERS);
        Versioned<TokenSet> after = store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(5)).orElseThrow();

        assertTrue(after.version() > before.version(), "versions are not reused after a delete (no ABA)");
        assertEquals(Optional.empty(), store.compareAndSet(ORDERS, before.version(), rotated(2)));
        assertEquals(Optional.of(after), store.load(ORDERS));
    }

    @Test
    void deleteWhenAbsentThenNoOp() {
        store.delete(ORDERS);
        assertEquals(Optional.empty(), store.load(ORDERS));
    }

    @Test
    void compareAndDeleteOnlyRemovesTheExpectedVersion() {
        Versioned<TokenSet> v1 = store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();
        Versioned<TokenSet> v2 = store.compareAndSet(ORDERS, v1.version(), rotated(2)).orElseThrow();

        assertFalse(store.compareAndDelete(ORDERS, v1.version()), "a token rotated meanwhile is not dropped");
        assertEquals(Optional.of(v2), store.load(ORDERS));
        assertTrue(store.compareAndDelete(ORDERS, v2.version()));
        assertEquals(Optional.empty(), store.load(ORDERS));
        assertFalse(store.compareAndDelete(ORDERS, v2.version()));
    }

    /** C7: racing refreshes rotate from the same version; exactly one rotation is kept, every round. */
    @Test
    void racingRotationsFromTheSameVersionThenExactlyOneWins() throws Exception {
        long version = store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(0)).orElseThrow().version();
        for (int round = 1; round <= raceRounds(); round++) {
            long expected = version;
            int generation = round * 100;
            CyclicBarrier start = new CyclicBarrier(RACERS);
            List<Future<Optional<Versioned<TokenSet>>>> results = new ArrayList<>();
            for (int r = 0; r < RACERS; r++) {
                TokenSet mine = rotated(generation + r);
                results.add(racers.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return store.compareAndSet(ORDERS, expected, mine);
                }));
            }
            List<Versioned<TokenSet>> winners = new ArrayList<>();
            for (Future<Optional<Versioned<TokenSet>>> f : results) {
                f.get(30, TimeUnit.SECONDS).ifPresent(winners::add);
            }
            assertEquals(1, winners.size(), "round " + round + ": winners " + winners);
            assertEquals(Optional.of(winners.get(0)), store.load(ORDERS), "round " + round);
            version = winners.get(0).version();
        }
    }

    @Test
    void leaseByDefaultIsGrantedAndReleaseIsHarmless() {
        Lease lease = store.tryAcquireLease(ORDERS, Duration.ofSeconds(30)).orElseThrow();

        assertEquals(ORDERS, lease.key());
        store.release(lease);
        store.release(lease);
        assertTrue(store.tryAcquireLease(ORDERS, Duration.ofSeconds(30)).isPresent());
    }

    @Test
    void toStringShowsNoToken() {
        store.compareAndSet(ORDERS, TokenStore.ABSENT, rotated(1)).orElseThrow();
        String shown = store.toString() + store.load(ORDERS).orElseThrow();

        assertFalse(shown.contains(rotated(1).accessToken()), shown);
        assertFalse(shown.contains(rotated(1).refreshToken().orElseThrow()), shown);
    }
}
