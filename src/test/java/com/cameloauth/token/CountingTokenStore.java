package com.cameloauth.token;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.cameloauth.token.store.InMemoryTokenStore;
import com.cameloauth.token.store.Lease;
import com.cameloauth.token.store.StoreKey;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.token.store.TokenStore;
import com.cameloauth.token.store.TokenStoreException;
import com.cameloauth.token.store.Versioned;

/** An in-memory store that counts every call, and can be made to fail every call (an outage). */
final class CountingTokenStore implements TokenStore {
    private final TokenStore delegate = new InMemoryTokenStore();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicBoolean failing = new AtomicBoolean();

    int calls() {
        return calls.get();
    }

    void failing(boolean fail) {
        failing.set(fail);
    }

    private void call() {
        calls.incrementAndGet();
        if (failing.get()) {
            throw new TokenStoreException(TokenStoreException.Reason.IO, "store unreachable (test)");
        }
    }

    @Override
    public Optional<Versioned<TokenSet>> load(StoreKey key) {
        call();
        return delegate.load(key);
    }

    @Override
    public Optional<Versioned<TokenSet>> compareAndSet(StoreKey key, long expectedVersion, TokenSet next) {
        call();
        return delegate.compareAndSet(key, expectedVersion, next);
    }

    @Override
    public boolean compareAndDelete(StoreKey key, long expectedVersion) {
        call();
        return delegate.compareAndDelete(key, expectedVersion);
    }

    @Override
    public void delete(StoreKey key) {
        call();
        delegate.delete(key);
    }

    @Override
    public Optional<Lease> tryAcquireLease(StoreKey key, Duration ttl) {
        call();
        return delegate.tryAcquireLease(key, ttl);
    }

    @Override
    public void release(Lease lease) {
        call();
        delegate.release(lease);
    }
}
