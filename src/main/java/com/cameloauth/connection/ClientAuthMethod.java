package com.cameloauth.connection;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a client authenticates at the token endpoint (RFC 6749 2.3, RFC 7523, RFC 8705), with the wire value.
 * {@link #NONE} is a public client (client id only, no secret): allowed for the policies that act for a user, never
 * for client-credentials.
 */
public enum ClientAuthMethod {
    CLIENT_SECRET_BASIC("client_secret_basic", true),
    CLIENT_SECRET_POST("client_secret_post", true),
    CLIENT_SECRET_JWT("client_secret_jwt", true),
    PRIVATE_KEY_JWT("private_key_jwt", true),
    TLS_CLIENT_AUTH("tls_client_auth", true),
    NONE("none", true);

    private final String value;
    private final boolean available;

    ClientAuthMethod(String value, boolean available) {
        this.value = value;
        this.available = available;
    }

    public String value() {
        return value;
    }

    public boolean isAvailable() {
        return available;
    }

    public static Optional<ClientAuthMethod> fromValue(String value) {
        return Arrays.stream(values()).filter(m -> m.value.equalsIgnoreCase(value.trim())).findFirst();
    }

    static String availableValues() {
        return Arrays.stream(values()).filter(ClientAuthMethod::isAvailable).map(ClientAuthMethod::value)
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return value;
    }
}
