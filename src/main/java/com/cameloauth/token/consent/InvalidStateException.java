package com.cameloauth.token.consent;

/**
 * The callback's {@code state} names no pending transaction: it is missing, unknown, already used, or expired
 * (C2). Nothing was redeemed; the user has to start the consent again.
 */
public class InvalidStateException extends ConsentException {

    /** Why the state was refused. */
    public enum Reason {
        /** The callback has no {@code state} parameter. */
        MISSING,
        /** No pending transaction has this state: it was never issued, was already used, or was dropped by the cap. */
        UNKNOWN,
        /** The transaction outlived its time to live. */
        EXPIRED
    }

    private final Reason reason;

    InvalidStateException(String connection, Reason reason, String problem) {
        super(connection, problem, 0, null, null);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
