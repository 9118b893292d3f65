package com.cameloauth.token;

import java.util.Map;

/**
 * The authorization server's answer about the connection's current access token (RFC 7662), without any token value.
 *
 * @param connection  the connection
 * @param fingerprint the fingerprint of the token that was introspected
 * @param claims      the answer's members ({@code active}, {@code scope}, {@code exp}, ...), minus every token value
 */
public record IntrospectionResult(String connection, String fingerprint, Map<String, Object> claims) {

    public IntrospectionResult {
        claims = Map.copyOf(claims);
    }

    /** The answer's {@code active}. */
    public boolean active() {
        return Boolean.TRUE.equals(claims.get("active"));
    }
}
