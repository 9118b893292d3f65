package com.cameloauth.token.store;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default store: token sets live in this process only and are gone after a restart. Compare-and-set is one
 * {@link ConcurrentHashMap#compute} per call, so it is atomic without a lock of its own.
 */
public final class InMemoryTokenStore implements TokenStore {
    private final ConcurrentMap<StoreKey, Versioned<TokenSet>> entries = new ConcurrentHashMap<>();
    /** One counter for the store, so a key's versions never repeat after a delete. */
    private final AtomicLong lastVersion = new AtomicLong(ABSENT);

    @Override
    public Optional<Versioned<TokenSet>> load(StoreKey key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public Optional<Versioned<TokenSet>> compareAndSet(StoreKey key, long expectedVersion, TokenSet next) {
        if (next == null) {
            throw new IllegalArgumentException("use delete to remove an entry");
        }
        Versioned<?>[] won = new Versioned<?>[1];
        entries.compute(key, (k, current) -> {
            if (versionOf(current) != expectedVersion) {
                return current;
            }
            Versioned<TokenSet> stored = new Versioned<>(next, lastVersion.incrementAndGet());
            won[0] = stored;
            return stored;
        });
        @SuppressWarnings("unchecked")
        Versioned<TokenSet> result = (Versioned<TokenSet>) won[0];
        return Optional.ofNullable(result);
    }

    @Override
    public boolean compareAndDelete(StoreKey key, long expectedVersion) {
        boolean[] removed = new boolean[1];
        entries.computeIfPresent(key, (k, current) -> {
            if (current.version() != expectedVersion) {
                return current;
            }
            removed[0] = true;
            return null;
        });
        return removed[0];
    }

    @Override
    public void delete(StoreKey key) {
        entries.remove(key);
    }

    private static long versionOf(Versioned<TokenSet> entry) {
        return entry == null ? ABSENT : entry.version();
    }

    @Override
    public String toString() {
        return "InMemoryTokenStore[" + entries.size() + " entries]";
    }
}
