package com.cameloauth.token.store;

/**
 * A store holds an entry for the key, under {@link #version()}, but it cannot be opened: modified, truncated, written by
 * something else, or copied from another key ({@link Reason#CORRUPT}). The engine treats the key as having no usable
 * entry: it gets a new token and replaces the entry by compare-and-set on this version. (An entry sealed with another
 * encryption key is a {@link Reason#WRONG_KEY} failure instead, and is never overwritten: it may be another instance's
 * consented refresh token.)
 */
public final class UnreadableEntryException extends TokenStoreException {
    private final long version;

    public UnreadableEntryException(long version, String message) {
        super(Reason.CORRUPT, message);
        this.version = version;
    }

    /** The version of the unreadable entry: a compare-and-set on it replaces the entry. */
    public long version() {
        return version;
    }
}
