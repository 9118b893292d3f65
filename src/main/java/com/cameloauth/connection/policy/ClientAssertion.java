package com.cameloauth.connection.policy;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a client signs the assertion it authenticates with (RFC 7523 2.2, OIDC core 9): {@code client_secret_jwt}
 * MACs it with the client secret, {@code private_key_jwt} signs it with {@link #key()}. Every token request gets a
 * fresh assertion (its own {@code jti}, a short {@code exp}).
 *
 * @param algorithm the JWS algorithm: HS256/HS384/HS512 with the secret, RS256/PS256/ES256 (and 384/512) with a key
 * @param key       the private key; present exactly for {@code private_key_jwt}
 * @param audience  the {@code aud} claim; empty: the token endpoint URL
 * @param lifetime  from {@code iat} to {@code exp}
 */
public record ClientAssertion(String algorithm, Optional<AssertionKey> key, Optional<String> audience,
        Duration lifetime) {

    /** Default lifetime of an assertion: short, since each request gets a fresh one. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    /** Longest lifetime allowed. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(10);

    public ClientAssertion {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(lifetime, "lifetime");
    }
}
