package com.cameloauth.component;

/** What an {@code oauth:} producer does. */
public enum OAuthOperation {
    /** Call {@code <base-url>/<path>} through camel-http with the connection's credentials. */
    call,
    /** Put the current access token in headers, for a step that calls the API another way. */
    token
}
