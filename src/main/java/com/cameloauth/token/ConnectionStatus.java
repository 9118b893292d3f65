package com.cameloauth.token;

import java.util.Optional;

/**
 * What the last token requests of a connection left behind, for {@link TokenManager#state()}: whether a token was
 * ever had, the last failure, and whether a user's consent is needed. Written by the one request in flight.
 */
final class ConnectionStatus {
    private volatile boolean everAcquired;
    private volatile OAuthTokenException lastError;
    private volatile boolean needsConsent;

    /** A token arrived; returns whether one had been had before (a refresh). */
    boolean succeeded() {
        boolean before = everAcquired;
        everAcquired = true;
        lastError = null;
        needsConsent = false;
        return before;
    }

    void failed(OAuthTokenException e) {
        lastError = e;
    }

    /** Returns true when this is the change into NEEDS_CONSENT (to be reported once). */
    boolean consentRequired(ConsentRequiredException e) {
        lastError = e;
        boolean was = needsConsent;
        needsConsent = true;
        return !was;
    }

    boolean everAcquired() {
        return everAcquired;
    }

    Optional<OAuthTokenException> lastFailure() {
        return Optional.ofNullable(lastError);
    }

    /** The state when no valid token is cached. */
    ConnectionState withoutToken(EndpointGuard.Block block) {
        if (needsConsent) {
            return ConnectionState.NEEDS_CONSENT;
        }
        if (block == EndpointGuard.Block.CLIENT_REJECTED) {
            return ConnectionState.FAILED;
        }
        if (block != EndpointGuard.Block.NONE) {
            return ConnectionState.UNAVAILABLE;
        }
        OAuthTokenException error = lastError;
        if (error != null) {
            return error.isRetryable() ? ConnectionState.UNAVAILABLE : ConnectionState.FAILED;
        }
        return everAcquired ? ConnectionState.EXPIRED : ConnectionState.IDLE;
    }

    /** A health probe is useful only while no token was had since the last failure (or ever), and not for consent. */
    boolean probeUseful() {
        return !needsConsent && (!everAcquired || lastError != null);
    }
}
