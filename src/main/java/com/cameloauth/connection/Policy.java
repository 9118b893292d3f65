package com.cameloauth.connection;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Security policies of a connection, with the value used in configuration. */
public enum Policy {
    CLIENT_CREDENTIALS("client-credentials", true, true),
    PASSWORD("password", true, true),
    AUTHORIZATION_CODE("authorization-code", true, true),
    REFRESH_TOKEN("refresh-token", true, true),
    JWT_BEARER("jwt-bearer", true, true),
    TOKEN_EXCHANGE("token-exchange", true, true),
    CUSTOM("custom", true, true),
    OIDC_CLIENT("oidc-client", true, true),
    BASIC("basic", false, true),
    API_KEY("api-key", false, true),
    /** OAuth 1.0a one-legged signatures (RFC 5849): no access token, every request signed afresh. */
    OAUTH1("oauth1", false, true),
    NONE("none", false, true);

    /** Why {@code implicit} is refused, and what to use instead. */
    static final String IMPLICIT_REFUSED = "policy 'implicit' is refused: the implicit grant returns tokens in the browser"
            + " URL where they leak, and OAuth 2.1 (RFC 9700 section 2.1.2) removes it; use 'authorization-code' (with PKCE)"
            + " to act for a user, or 'client-credentials' for service-to-service calls";

    private final String value;
    private final boolean oauth;
    private final boolean available;

    Policy(String value, boolean oauth, boolean available) {
        this.value = value;
        this.oauth = oauth;
        this.available = available;
    }

    /** The configuration value, e.g. {@code client-credentials}. */
    public String value() {
        return value;
    }

    /** Whether this policy obtains OAuth access tokens (as opposed to static credentials). */
    public boolean isOAuth() {
        return oauth;
    }

    /** Whether this version of the library implements the policy. */
    public boolean isAvailable() {
        return available;
    }

    public static Optional<Policy> fromValue(String value) {
        return Arrays.stream(values()).filter(p -> p.value.equalsIgnoreCase(value.trim())).findFirst();
    }

    static String availableValues() {
        return Arrays.stream(values()).filter(Policy::isAvailable).map(Policy::value).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return value;
    }
}
