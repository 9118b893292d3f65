package com.cameloauth.userit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.cameloauth.token.store.Lease;
import com.cameloauth.token.store.StoreKey;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.token.store.TokenStore;
import com.cameloauth.token.store.Versioned;

/**
 * A token store that records, in order, each refresh token it stored (a claim rewrites the same set: recorded once),
 * and passes everything else through. Several of these may wrap stores of the same file: they share one log. The log
 * is test-only and holds tokens: it is never printed.
 */
final class RefreshTokenLog {
    private final List<String> stored = new ArrayList<>();

    /** The refresh tokens stored so far, oldest first, each once. */
    synchronized List<String> stored() {
        return List.copyOf(stored);
    }

    private synchronized void record(TokenSet set) {
        set.refreshToken().filter(rt -> !stored.contains(rt)).ifPresent(stored::add);
    }

    TokenStore around(TokenStore store) {
        return new TokenStore() {
            @Override
            public Optional<Versioned<TokenSet>> load(StoreKey key) {
                return store.load(key);
            }

            @Override
            public Optional<Versioned<TokenSet>> compareAndSet(StoreKey key, long expectedVersion, TokenSet next) {
                Optional<Versioned<TokenSet>> won = store.compareAndSet(key, expectedVersion, next);
                won.ifPresent(v -> record(next));
                return won;
            }

            @Override
            public boolean compareAndDelete(StoreKey key, long expectedVersion) {
                return store.compareAndDelete(key, expectedVersion);
            }

            @Override
            public void delete(StoreKey key) {
                store.delete(key);
            }

            @Override
            public Optional<Lease> tryAcquireLease(StoreKey key, Duration ttl) {
                return store.tryAcquireLease(key, ttl);
            }

            @Override
            public void release(Lease lease) {
                store.release(lease);
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }
}
