package com.cameloauth.token;

/**
 * Receives token lifecycle events. Called on the thread that caused the event, after the callers waiting for that
 * token request were released: keep it quick. A listener that throws is logged and skipped; the others still get the
 * event.
 */
@FunctionalInterface
public interface TokenEventListener {
    TokenEventListener NONE = e -> {
    };

    void onEvent(TokenEvent event);
}
