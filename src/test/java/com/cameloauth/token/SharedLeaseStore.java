package com.cameloauth.token;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import com.cameloauth.token.store.InMemoryTokenStore;
import com.cameloauth.token.store.Lease;
import com.cameloauth.token.store.StoreKey;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.token.store.TokenStore;
import com.cameloauth.token.store.Versioned;

/**
 * An {@link InMemoryTokenStore} shared by several engines in one JVM, standing in for a shared store (Redis): it grants
 * at most one lease per key at a time, as {@code SET NX PX} does. (The in-memory store's own default lease is local:
 * always granted, because within one engine its single-flight suffices.)
 */
final class SharedLeaseStore implements TokenStore {
    private final InMemoryTokenStore delegate = new InMemoryTokenStore();
    private final ConcurrentMap<StoreKey, String> leases = new ConcurrentHashMap<>();
    private final AtomicLong fencing = new AtomicLong();

    @Override
    public Optional<Versioned<TokenSet>> load(StoreKey key) {
        return delegate.load(key);
    }

    @Override
    public Optional<Versioned<TokenSet>> compareAndSet(StoreKey key, long expectedVersion, TokenSet next) {
        return delegate.compareAndSet(key, expectedVersion, next);
    }

    @Override
    public boolean compareAndDelete(StoreKey key, long expectedVersion) {
        return delegate.compareAndDelete(key, expectedVersion);
    }

    @Override
    public void delete(StoreKey key) {
        delegate.delete(key);
    }

    @Override
    public Optional<Lease> tryAcquireLease(StoreKey key, Duration ttl) {
        String holder = UUID.randomUUID().toString();
        return leases.putIfAbsent(key, holder) == null
                ? Optional.of(new Lease(key, holder, fencing.incrementAndGet(), ttl))
                : Optional.empty();
    }

    @Override
    public void release(Lease lease) {
        leases.remove(lease.key(), lease.holder());
    }
}
