package com.cameloauth.token;

/** Receives token lifecycle events. Called on the thread that caused the event: keep it quick and never throw. */
@FunctionalInterface
public interface TokenEventListener {
    TokenEventListener NONE = e -> {
    };

    void onEvent(TokenEvent event);
}
