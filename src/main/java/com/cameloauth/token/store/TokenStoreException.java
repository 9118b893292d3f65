package com.cameloauth.token.store;

import java.util.Objects;

/**
 * A token store cannot be opened, read or written. The message names the store (a path or an address, never a
 * credential), says what went wrong and what to do; it never contains the encryption key or a token.
 */
public class TokenStoreException extends RuntimeException {

    /** What kind of failure, so that callers and tests need not parse the message. */
    public enum Reason {
        /** The configured encryption key is not base64 of 32 bytes. */
        INVALID_KEY,
        /** The file was written with another key. */
        WRONG_KEY,
        /** The file is not a token store, is truncated, or its content was modified. */
        CORRUPT,
        /** The file is from a newer (or unknown) format version. */
        UNSUPPORTED_FORMAT,
        /** The store cannot be created, read or written (path, permissions, disk). */
        IO,
        /** A shared store (Redis) did not answer within its timeout or is not connected; retry later. */
        UNAVAILABLE
    }

    private final Reason reason;

    public TokenStoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public TokenStoreException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
