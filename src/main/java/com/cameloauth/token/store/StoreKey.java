package com.cameloauth.token.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Where a connection's tokens are stored: the connection name plus a hash of everything that decides which tokens
 * are valid for it. Changing the token URL, the client id, the scopes or the grant gives a new key, so tokens issued
 * for the old settings are never reused. The string form ({@link #value()}) is safe to show and to use as a file
 * entry or Redis key: it contains no secret, and the client id is only hashed.
 *
 * @param connection the connection name
 * @param binding    hex SHA-256 (first 16 bytes) of the token URL, client id, sorted scopes, grant and extra binding
 */
public record StoreKey(String connection, String binding) {

    public StoreKey {
        if (connection == null || connection.isBlank()) {
            throw new IllegalArgumentException("a store key needs a connection name");
        }
        if (binding == null || !binding.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("a store key binding is 32 lowercase hex digits");
        }
    }

    /**
     * The key for a connection's current settings.
     *
     * @param extra further values that select a different token set for the same client, e.g. the resource owner's
     *              user name for the password grant, or the audience/resource of a token exchange; order matters
     */
    public static StoreKey of(String connection, String tokenUrl, String clientId, Collection<String> scopes,
            String grant, String... extra) {
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        Objects.requireNonNull(grant, "grant");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // Length-prefixed fields: ("ab","c") and ("a","bc") must not hash alike.
            update(sha, "camel-oauth-store-key-v1");
            update(sha, tokenUrl);
            update(sha, clientId == null ? "" : clientId);
            List<String> sorted = List.copyOf(new TreeSet<>(scopes));
            update(sha, Integer.toString(sorted.size()));
            sorted.forEach(s -> update(sha, s));
            update(sha, grant);
            for (String e : extra) {
                update(sha, e == null ? "" : e);
            }
            return new StoreKey(connection, HexFormat.of().formatHex(sha.digest(), 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void update(MessageDigest sha, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        sha.update((byte) (bytes.length >>> 24));
        sha.update((byte) (bytes.length >>> 16));
        sha.update((byte) (bytes.length >>> 8));
        sha.update((byte) bytes.length);
        sha.update(bytes);
    }

    /** {@code <connection>@<binding>}: unique per key, safe for logs, file entries and Redis key names. */
    public String value() {
        return connection + "@" + binding;
    }

    @Override
    public String toString() {
        return value();
    }
}
