package com.cameloauth.token.store;

import java.util.Objects;

/**
 * A stored value with the version it was stored under. Versions are positive, assigned by the store, and never
 * reused for a key, not even after a delete: a compare-and-set against a version read before a delete fails.
 */
public record Versioned<T>(T value, long version) {

    public Versioned {
        Objects.requireNonNull(value, "value");
        if (version <= TokenStore.ABSENT) {
            throw new IllegalArgumentException("versions are positive: " + version);
        }
    }
}
