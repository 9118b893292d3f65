package com.cameloauth.token;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cameloauth.token.store.Lease;
import com.cameloauth.token.store.StoreKey;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.token.store.TokenStore;
import com.cameloauth.token.store.Versioned;

/**
 * One connection's view of the {@link TokenStore}, under its {@link StoreKey}. A failing store (a Redis outage, a
 * full disk) never fails a token request: each call reports the failure as an outcome, the engine goes on from its
 * memory and fetches on its own, and one WARN line says so until the store works again. No token in any log.
 */
final class StoreAccess {
    private static final Logger LOG = LoggerFactory.getLogger(StoreAccess.class);

    /** A load: {@code ok} false when the store failed; {@code entry} null when there is none. */
    record Loaded(boolean ok, Versioned<TokenSet> entry) {
        static final Loaded FAILED = new Loaded(false, null);

        long version() {
            return entry == null ? TokenStore.ABSENT : entry.version();
        }
    }

    /** The outcome of a compare-and-set. */
    enum Saved {
        WON, LOST, FAILED
    }

    private final String connection;
    private final TokenStore store;
    private final StoreKey key;
    private final AtomicBoolean failing = new AtomicBoolean();

    StoreAccess(String connection, TokenStore store, StoreKey key) {
        this.connection = connection;
        this.store = store;
        this.key = key;
    }

    Loaded load() {
        try {
            Loaded loaded = new Loaded(true, store.load(key).orElse(null));
            recovered();
            return loaded;
        } catch (RuntimeException e) {
            failed("load", e);
            return Loaded.FAILED;
        }
    }

    /** The stored entry after a won compare-and-set, empty when lost; null when the store failed. */
    Optional<Versioned<TokenSet>> compareAndSet(long expected, TokenSet next) {
        try {
            Optional<Versioned<TokenSet>> won = store.compareAndSet(key, expected, next);
            recovered();
            return won;
        } catch (RuntimeException e) {
            failed("save", e);
            return null;
        }
    }

    boolean compareAndDelete(long expected) {
        if (expected == TokenStore.ABSENT) {
            return false;
        }
        try {
            return store.compareAndDelete(key, expected);
        } catch (RuntimeException e) {
            failed("delete", e);
            return false;
        }
    }

    void delete() {
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            failed("delete", e);
        }
    }

    /** A lease; a failing store grants a local one, so that this instance fetches on its own. */
    Optional<Lease> tryAcquireLease(Duration ttl) {
        try {
            return store.tryAcquireLease(key, ttl);
        } catch (RuntimeException e) {
            failed("lease", e);
            return Optional.of(Lease.local(key, ttl));
        }
    }

    void release(Lease lease) {
        try {
            store.release(lease);
        } catch (RuntimeException e) {
            failed("release", e);
        }
    }

    StoreKey key() {
        return key;
    }

    private void failed(String what, RuntimeException e) {
        if (failing.compareAndSet(false, true)) {
            // The class name only: a store's message names a path or address, but a foreign store might say more.
            LOG.warn("oauth connection '{}': token store {} failed ({}); going on from memory, fetching tokens on our"
                    + " own until it works again", connection, what, e.getClass().getSimpleName());
        }
        LOG.debug("oauth connection '{}': token store {} failed", connection, what, e);
    }

    private void recovered() {
        if (failing.compareAndSet(true, false)) {
            LOG.info("oauth connection '{}': token store works again", connection);
        }
    }
}
