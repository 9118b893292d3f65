package com.cameloauth.component;

/** What an {@code oauth:} producer does. */
public enum OAuthOperation {
    /** Call {@code <base-url>/<path>} through camel-http with the connection's credentials. */
    call,
    /** Put the current access token in headers, for a step that calls the API another way. */
    token,
    /** Get a new token now, replacing the cached one; its fingerprint and expiry go in headers. */
    refresh,
    /**
     * Run the connection's token flow now and report, like an integration platform's Test button: the body becomes a
     * map with result OK or FAILED, state, token fingerprint and expiry, or the error. Never throws for a token failure.
     */
    test
}
