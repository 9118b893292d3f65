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
    test,
    /**
     * Start a consent ({@code operation=consent-url}, authorization-code connections only): the URL to send the user's
     * browser to goes in the body and in the {@code CamelOAuthConsentUrl} header.
     */
    consent_url,
    /**
     * Revoke the connection's tokens at the server (RFC 7009: the refresh token, then the access token) when a revocation
     * endpoint is known, and drop them here in any case: the body becomes a map with {@code revoked} (the token types the
     * server revoked), {@code failures}, {@code serverSide} and {@code state} (NEEDS_CONSENT for authorization-code).
     */
    revoke,
    /**
     * Ask the introspection endpoint about the current access token (RFC 7662): the body becomes the answer as a map
     * ({@code active}, {@code scope}, {@code exp}, ...), without any token value.
     */
    introspect;

    /** The value in an {@code oauth:} URI, e.g. {@code consent-url}. */
    public String uriValue() {
        return name().replace('_', '-');
    }

    /** The operation of a URI value ({@code consent-url} or {@code consent_url}, any case), if there is one. */
    public static java.util.Optional<OAuthOperation> fromUriValue(String text) {
        String name = text.trim().replace('-', '_');
        return java.util.Arrays.stream(values()).filter(o -> o.name().equalsIgnoreCase(name)).findFirst();
    }
}
