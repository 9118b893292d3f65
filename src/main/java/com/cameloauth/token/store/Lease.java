package com.cameloauth.token.store;

import java.time.Duration;
import java.util.Objects;

/**
 * The right to make the next token request for a key, for at most {@code ttl}, across every instance that shares the
 * store. It lets N instances make one token request per expiry window and keeps a rotating refresh token from being
 * sent twice. A lease is an optimisation and a courtesy, not the guard of correctness: a holder that outlives its ttl
 * (GC pause, slow endpoint) still cannot overwrite a newer token, because every write is a
 * {@link TokenStore#compareAndSet compare-and-set} on the version it read.
 *
 * @param key          the key the lease is for
 * @param holder       an unguessable id of this acquisition; release only removes the lease if it still holds it
 * @param fencingToken strictly increasing per key for stores that share state (Redis), 0 for a {@link #local} lease
 * @param ttl          how long the lease lasts unless released
 */
public record Lease(StoreKey key, String holder, long fencingToken, Duration ttl) {

    /** The holder id of a lease granted by a single-instance store. */
    public static final String LOCAL_HOLDER = "local";

    public Lease {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(ttl, "ttl");
    }

    /** A lease from a store that only this process uses: always granted, nothing to fence. */
    public static Lease local(StoreKey key, Duration ttl) {
        return new Lease(key, LOCAL_HOLDER, 0, ttl);
    }

    public boolean isLocal() {
        return LOCAL_HOLDER.equals(holder);
    }
}
