package com.cameloauth.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cameloauth.token.store.Lease;
import com.cameloauth.token.store.StoreKey;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.token.store.TokenStore;
import com.cameloauth.token.store.UnreadableEntryException;
import com.cameloauth.token.store.Versioned;

/**
 * One connection's view of the {@link TokenStore}, under its {@link StoreKey}. A failing store (a Redis outage, a
 * full disk) never fails a token request: each call reports the failure as an outcome, the engine goes on from its
 * memory and fetches on its own, and one WARN line and one {@link TokenEvent.Type#STORE_UNAVAILABLE} event say so
 * until the store works again ({@link TokenEvent.Type#STORE_RECOVERED}). After a failure the store is not asked again
 * for {@link #RETRY_AFTER}: one token request waits on a hung store at most once, for the store's own timeout.
 * An entry that cannot be opened (garbage, or moved from another key) is treated as absent, with a
 * {@link TokenEvent.Type#STORE_ENTRY_REJECTED} event, and replaced by the next save. No token in any log.
 */
final class StoreAccess {
    private static final Logger LOG = LoggerFactory.getLogger(StoreAccess.class);
    /** How long a failed store is left alone before it is tried again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /**
     * A load: {@code ok} false when the store failed; {@code entry} null when there is none (or none readable);
     * {@code version} the entry's version, also of an unreadable one (a save replaces it).
     */
    record Loaded(boolean ok, Versioned<TokenSet> entry, long version) {
        static final Loaded FAILED = new Loaded(false, null, TokenStore.ABSENT);

        static Loaded of(Versioned<TokenSet> entry) {
            return new Loaded(true, entry, entry == null ? TokenStore.ABSENT : entry.version());
        }
    }

    /** The outcome of a compare-and-set. */
    enum Saved {
        WON, LOST, FAILED
    }

    private final String connection;
    private final TokenStore store;
    private final StoreKey key;
    private final Clock clock;
    private final TokenEvents events;
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile long retryAtMillis = Long.MIN_VALUE;

    StoreAccess(String connection, TokenStore store, StoreKey key, Clock clock, TokenEvents events) {
        this.connection = connection;
        this.store = store;
        this.key = key;
        this.clock = clock;
        this.events = events;
    }

    Loaded load() {
        if (resting()) {
            return Loaded.FAILED;
        }
        try {
            Loaded loaded = Loaded.of(store.load(key).orElse(null));
            recovered();
            return loaded;
        } catch (UnreadableEntryException e) {
            recovered();
            events.emit(TokenEvent.Type.STORE_ENTRY_REJECTED, null, "the stored entry cannot be opened (modified or"
                    + " copied from another key): ignored, replaced by the next token");
            return new Loaded(true, null, e.version());
        } catch (RuntimeException e) {
            failed("load", e);
            return Loaded.FAILED;
        }
    }

    /** The stored entry after a won compare-and-set, empty when lost; null when the store failed. */
    Optional<Versioned<TokenSet>> compareAndSet(long expected, TokenSet next) {
        if (resting()) {
            return null;
        }
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
        if (expected == TokenStore.ABSENT || resting()) {
            return false;
        }
        try {
            return store.compareAndDelete(key, expected);
        } catch (RuntimeException e) {
            failed("delete", e);
            return false;
        }
    }

    /** Deletes the entry; a forget must reach the store, so a resting store is tried all the same. */
    void delete() {
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            failed("delete", e);
        }
    }

    /** A lease; a failing store grants a local one, so that this instance fetches on its own. */
    Optional<Lease> tryAcquireLease(Duration ttl) {
        if (resting()) {
            return Optional.of(Lease.local(key, ttl));
        }
        try {
            return store.tryAcquireLease(key, ttl);
        } catch (RuntimeException e) {
            failed("lease", e);
            return Optional.of(Lease.local(key, ttl));
        }
    }

    void release(Lease lease) {
        if (lease.isLocal()) {
            return; // a local lease holds nothing in the store (also when the store failed)
        }
        try {
            store.release(lease);
        } catch (RuntimeException e) {
            failed("release", e);
        }
    }

    StoreKey key() {
        return key;
    }

    /** Whether the store failed a moment ago: then it is left alone until {@link #RETRY_AFTER} has passed. */
    private boolean resting() {
        return failing.get() && clock.millis() < retryAtMillis;
    }

    private void failed(String what, RuntimeException e) {
        retryAtMillis = clock.millis() + RETRY_AFTER.toMillis();
        if (failing.compareAndSet(false, true)) {
            // The class name only: a store's message names a path or address, but a foreign store might say more.
            events.emit(TokenEvent.Type.STORE_UNAVAILABLE, null, "token store " + what + " failed ("
                    + e.getClass().getSimpleName() + "): going on from memory, fetching tokens on our own");
        }
        LOG.debug("oauth connection '{}': token store {} failed", connection, what, e);
    }

    private void recovered() {
        if (failing.compareAndSet(true, false)) {
            events.emit(TokenEvent.Type.STORE_RECOVERED, null, "token store works again: tokens are shared again");
        }
    }
}
