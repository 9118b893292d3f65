package com.cameloauth.token.ops;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import com.cameloauth.token.store.InMemoryTokenStore;
import com.cameloauth.token.store.StoreKey;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.token.store.TokenStore;
import com.cameloauth.token.store.Versioned;

/** The in-memory store, keeping the last token set written: the IT asks Keycloak about those very tokens. */
final class RecordingStore implements TokenStore {
    private final InMemoryTokenStore delegate = new InMemoryTokenStore();
    private final AtomicReference<TokenSet> last = new AtomicReference<>();

    TokenSet last() {
        return last.get();
    }

    @Override
    public Optional<Versioned<TokenSet>> load(StoreKey key) {
        return delegate.load(key);
    }

    @Override
    public Optional<Versioned<TokenSet>> compareAndSet(StoreKey key, long expectedVersion, TokenSet next) {
        Optional<Versioned<TokenSet>> won = delegate.compareAndSet(key, expectedVersion, next);
        won.ifPresent(v -> last.set(v.value()));
        return won;
    }

    @Override
    public boolean compareAndDelete(StoreKey key, long expectedVersion) {
        return delegate.compareAndDelete(key, expectedVersion);
    }

    @Override
    public void delete(StoreKey key) {
        delegate.delete(key);
    }
}
