package com.cameloauth.token.store;

import java.io.Closeable;
import java.time.Duration;
import java.util.Optional;

/**
 * Where token sets live between requests, restarts and instances. One small contract that the in-memory store, the
 * encrypted file store and a shared (Redis) store all meet, so the engine never knows which one it has.
 * <p>
 * Unlike a blind {@code save} (Spring Security's {@code OAuth2AuthorizedClientService}, where the last writer wins and
 * racing refreshes each spend the same refresh token, spring-security#15145), every write here is a
 * <b>compare-and-set on a version</b>: a rotated refresh token replaces the one it was obtained with only if nobody
 * replaced it first, and a {@link Lease} lets instances sharing the store agree on who makes the next request.
 * <p>
 * All methods are thread-safe. None of them ever puts a token or a key into an exception or a log. Failures of the
 * store itself are {@link TokenStoreException}s.
 */
public interface TokenStore extends Closeable {

    /** The "expected version" that means "no entry for this key". */
    long ABSENT = 0;

    /**
     * The current entry for {@code key}, or empty if there is none. Reads what other writers committed before this
     * call started (for a shared store: other instances too); never a half-written entry.
     */
    Optional<Versioned<TokenSet>> load(StoreKey key);

    /**
     * Stores {@code next} under {@code key} if, and only if, the key's current version is {@code expectedVersion}
     * ({@link #ABSENT}: there must be no entry). Atomic against every other writer of the store: when two callers
     * race from the same expected version, exactly one wins. The new version is greater than every version the key
     * ever had (also across {@link #delete}), so a caller holding an old version can never overwrite a newer entry.
     * A store that persists returns only after the write is durable.
     *
     * @return the stored entry with its new version if this call won; empty if the version did not match (the caller
     *         should {@link #load} and use what the winner stored)
     */
    Optional<Versioned<TokenSet>> compareAndSet(StoreKey key, long expectedVersion, TokenSet next);

    /**
     * Removes the entry for {@code key} only if its version is still {@code expectedVersion}: used when a refresh
     * token is rejected ({@code invalid_grant}), so that a token another instance rotated meanwhile is not dropped.
     *
     * @return true if this call removed the entry
     */
    boolean compareAndDelete(StoreKey key, long expectedVersion);

    /** Removes the entry for {@code key}, whatever its version (revocation, a user's "forget"). No-op when absent. */
    void delete(StoreKey key);

    /**
     * Tries to become the one caller, across every instance sharing this store, that makes the next token request
     * for {@code key}. Never blocks. A shared store grants at most one unexpired lease per key at a time (Redis:
     * {@code SET lease:<key> <holder> NX PX ttl}), with a fencing token that increases with every grant; a crashed
     * holder's lease ends after {@code ttl}. A caller that is refused should wait for the holder's result by
     * {@link #load loading} again (bounded by ttl), not make its own request.
     * <p>
     * The default, for stores that only one process uses, always grants a {@link Lease#local local} lease: within a
     * process the engine's own single-flight already ensures one request per connection.
     *
     * @return the lease, or empty if another holder has an unexpired one
     */
    default Optional<Lease> tryAcquireLease(StoreKey key, Duration ttl) {
        return Optional.of(Lease.local(key, ttl));
    }

    /**
     * Gives a lease back early, so that waiting instances proceed at once. Only removes the lease if {@code lease}
     * still holds it (Redis: compare the holder and delete in one script); releasing an expired or foreign lease is a
     * no-op. Never throws for a lease that is already gone.
     */
    default void release(Lease lease) {
        // single-instance stores hold no lease state
    }

    /** Releases files, connections and threads. Idempotent. Does not delete stored tokens. */
    @Override
    default void close() {
        // nothing to release
    }
}
