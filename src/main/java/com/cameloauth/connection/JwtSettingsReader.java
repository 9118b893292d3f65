package com.cameloauth.connection;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.cameloauth.connection.policy.AssertionKey;
import com.cameloauth.connection.policy.ClientAssertion;
import com.cameloauth.connection.policy.ClientRegistration;
import com.cameloauth.connection.policy.JwtBearerPolicy;

/**
 * Reads the keys of signed JWTs: the client assertion of {@code client_secret_jwt} / {@code private_key_jwt}
 * (RFC 7523 2.2) and the {@code jwt-bearer} policy (RFC 7523 2.1). A key file must exist and be readable here; its
 * content (format, password, algorithm fit) is checked when the connections are built, still at start-up. No message
 * carries a password, a secret or key material.
 */
final class JwtSettingsReader {
    static final Set<String> HMAC_ALGORITHMS = Set.of("HS256", "HS384", "HS512");
    static final Set<String> KEY_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
            "ES384", "ES512");
    private static final Map<String, Integer> MIN_SECRET_BYTES = Map.of("HS256", 32, "HS384", 48, "HS512", 64);
    private static final Set<String> REGISTERED_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti");

    private final OAuthConfig.Connection c;
    private final KeyReader keys;

    JwtSettingsReader(OAuthConfig.Connection c, KeyReader keys) {
        this.c = c;
        this.keys = keys;
    }

    /**
     * The assertion settings of {@code client_secret_jwt} or {@code private_key_jwt}; null when a key has a problem
     * (reported).
     *
     * @param secret the client secret (client_secret_jwt), checked to be long enough to key the algorithm
     */
    ClientAssertion clientAssertion(ClientAuthMethod auth, String secret) {
        int before = keys.problemCount();
        boolean withKey = auth == ClientAuthMethod.PRIVATE_KEY_JWT;
        String algorithm = algorithm("client-assertion-algorithm", c.clientAssertionAlgorithm(), withKey);
        Optional<AssertionKey> key = Optional.empty();
        if (withKey) {
            key = Optional.ofNullable(key("client-assertion-key", c.clientAssertionKey(), c.clientAssertionKeyPassword(),
                    c.clientAssertionKeyAlias(), c.clientAssertionKeyId(), " for client-auth=private_key_jwt"));
        } else if (keys.nonBlank("client-assertion-key", c.clientAssertionKey()).isPresent()) {
            keys.problem("client-assertion-key", "is set, but client-auth=client_secret_jwt signs with the client"
                    + " secret; use client-auth=private_key_jwt to sign with the key");
        }
        if (!withKey && algorithm != null && secret != null
                && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < MIN_SECRET_BYTES.get(algorithm)) {
            keys.problem("client-secret", "is shorter than " + MIN_SECRET_BYTES.get(algorithm) + " bytes, too short to"
                    + " key " + algorithm + " for client_secret_jwt (RFC 7518 3.2); use a longer secret or private_key_jwt");
        }
        Optional<String> audience = keys.nonBlank("client-assertion-audience", c.clientAssertionAudience());
        Duration lifetime = lifetime("client-assertion-lifetime", c.clientAssertionLifetime());
        if (keys.problemCount() > before || algorithm == null || withKey && key.isEmpty()) {
            return null;
        }
        return new ClientAssertion(algorithm, key, audience, lifetime);
    }

    /** The jwt-bearer policy over its client; null when a key has a problem (reported). */
    JwtBearerPolicy jwtBearer(ClientRegistration client) {
        int before = keys.problemCount();
        AssertionKey key = key("assertion-key", c.assertionKey(), c.assertionKeyPassword(), c.assertionKeyAlias(),
                c.assertionKeyId(), " for policy jwt-bearer");
        String algorithm = algorithm("assertion-algorithm", c.assertionAlgorithm(), true);
        String subject = keys.required("subject", c.subject(), " to the user the token is requested for");
        Optional<String> issuer = keys.nonBlank("assertion-issuer", c.assertionIssuer());
        Optional<String> audience = keys.nonBlank("assertion-audience", c.assertionAudience());
        Map<String, String> claims = claims();
        Duration lifetime = lifetime("assertion-lifetime", c.assertionLifetime());
        if (keys.problemCount() > before || client == null || key == null || algorithm == null || subject == null
                || claims == null) {
            return null;
        }
        return new JwtBearerPolicy(client, key, algorithm, subject, issuer.orElse(client.clientId()), audience, claims,
                lifetime);
    }

    private String algorithm(String key, Optional<String> value, boolean withKey) {
        Set<String> allowed = withKey ? KEY_ALGORITHMS : HMAC_ALGORITHMS;
        Optional<String> v = keys.nonBlank(key, value);
        if (v.isEmpty()) {
            return withKey ? "RS256" : "HS256";
        }
        String name = v.get().toUpperCase(Locale.ROOT);
        if (!allowed.contains(name)) {
            keys.problem(key, "'" + HttpHeaderNames.printable(v.get()) + "' is not an algorithm for "
                    + (withKey ? "a private key: use RS256, PS256 or ES256 (or the 384/512 variants); HS256 is"
                            + " client_secret_jwt" : "client_secret_jwt: use HS256, HS384 or HS512; RS256, PS256 and"
                            + " ES256 are private_key_jwt"));
            return null;
        }
        return name;
    }

    /** A key file that exists and can be read; null (and one problem) otherwise. */
    private AssertionKey key(String key, Optional<String> file, Optional<String> password, Optional<String> alias,
            Optional<String> keyId, String hint) {
        String value = keys.required(key, file, hint);
        if (value == null) {
            return null;
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            keys.problem(key, "'" + HttpHeaderNames.printable(value) + "' is not a file path");
            return null;
        }
        if (!Files.isRegularFile(path)) {
            keys.problem(key, "file '" + path + "' does not exist (or is not a file)");
            return null;
        }
        if (!Files.isReadable(path)) {
            keys.problem(key, "file '" + path + "' cannot be read by this process; check its permissions");
            return null;
        }
        return new AssertionKey(path, keys.value(key + "-password", password).map(Secret::of),
                keys.nonBlank(key + "-alias", alias), keys.nonBlank(key + "-id", keyId));
    }

    private Duration lifetime(String key, Optional<String> value) {
        Duration d = keys.duration(key, value, ClientAssertion.DEFAULT_LIFETIME, ClientAssertion.MAX_LIFETIME);
        if (d.getSeconds() < 1) {
            keys.problem(key, "must be at least 1s (default 60s)");
            return ClientAssertion.DEFAULT_LIFETIME;
        }
        return d;
    }

    /** {@code name=value,name=value}; null when one is bad (reported). */
    private Map<String, String> claims() {
        Map<String, String> claims = new LinkedHashMap<>();
        Optional<String> v = keys.nonBlank("assertion-claims", c.assertionClaims());
        if (v.isEmpty()) {
            return claims;
        }
        for (String pair : v.get().split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair.trim() : pair.substring(0, eq).trim();
            if (eq < 0 || name.isEmpty()) {
                keys.problem("assertion-claims", "'" + HttpHeaderNames.printable(pair.trim()) + "' is not name=value"
                        + " (write claims as name=value pairs separated by commas)");
                return null;
            }
            if (REGISTERED_CLAIMS.contains(name)) {
                keys.problem("assertion-claims", "claim '" + name + "' is set by the connection itself; use subject,"
                        + " assertion-issuer, assertion-audience or assertion-lifetime");
                return null;
            }
            if (claims.put(name, pair.substring(eq + 1).trim()) != null) {
                keys.problem("assertion-claims", "claim '" + name + "' is given twice");
                return null;
            }
        }
        return claims;
    }
}
