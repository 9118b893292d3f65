package com.cameloauth.token.store;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one store file holds: the entries and the last version handed out (so versions never repeat, also after
 * a delete or a restart). Immutable: a change makes a new snapshot, which is written before it replaces this one.
 */
record StoreSnapshot(long lastVersion, Map<StoreKey, Versioned<TokenSet>> entries) {

    static final StoreSnapshot EMPTY = new StoreSnapshot(TokenStore.ABSENT, Map.of());

    StoreSnapshot {
        entries = Collections.unmodifiableMap(new HashMap<>(entries));
    }

    Optional<Versioned<TokenSet>> get(StoreKey key) {
        return Optional.ofNullable(entries.get(key));
    }

    long versionOf(StoreKey key) {
        Versioned<TokenSet> entry = entries.get(key);
        return entry == null ? TokenStore.ABSENT : entry.version();
    }

    StoreSnapshot with(StoreKey key, TokenSet value) {
        long version = lastVersion + 1;
        Map<StoreKey, Versioned<TokenSet>> next = new HashMap<>(entries);
        next.put(key, new Versioned<>(value, version));
        return new StoreSnapshot(version, next);
    }

    /** The same entries with one more version used up: a lease's fencing token. */
    StoreSnapshot withVersionUsed() {
        return new StoreSnapshot(lastVersion + 1, entries);
    }

    StoreSnapshot without(StoreKey key) {
        Map<StoreKey, Versioned<TokenSet>> next = new HashMap<>(entries);
        next.remove(key);
        return new StoreSnapshot(lastVersion, next);
    }

    @Override
    public String toString() {
        return "StoreSnapshot[lastVersion=" + lastVersion + ", keys=" + entries.keySet() + "]";
    }
}
