package com.cameloauth.connection;

import java.util.List;
import java.util.Objects;

/**
 * DPoP (RFC 9449) for a connection: its tokens are bound to a key pair made for it at start and kept in memory, and
 * every token request and API call carries a fresh proof signed with that key.
 *
 * @param algorithm the JWS algorithm of the proofs: ES256 (default), RS256 or PS256
 */
public record DpopSettings(String algorithm) {
    /** The algorithms a proof can be signed with. */
    public static final List<String> ALGORITHMS = List.of("ES256", "RS256", "PS256");

    public DpopSettings {
        Objects.requireNonNull(algorithm, "algorithm");
        if (!ALGORITHMS.contains(algorithm)) {
            throw new IllegalArgumentException("DPoP algorithm " + algorithm + " is not one of " + ALGORITHMS);
        }
    }
}
