package com.cameloauth.connection;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated {@code oauth.store.*} keys: where tokens are kept. {@link ConnectionDefinitions#settings} and
 * {@link ConnectionDefinitions#loadSettings} validate them together with the connections. Its {@code toString} masks
 * the encryption key and the Redis URL (which may hold a password).
 *
 * @param type          the kind of store
 * @param filePath      the file of the file store; present exactly for {@link Type#FILE}
 * @param encryptionKey the AES-256 key as base64 (it decodes to 32 bytes); present exactly for {@link Type#FILE} and
 *                      {@link Type#REDIS}
 * @param redis         how to reach Redis; present exactly for {@link Type#REDIS}
 */
public record StoreSettings(Type type, Optional<Path> filePath, Optional<Secret> encryptionKey, Optional<Redis> redis) {

    /** Length of the AES-256 key of the file store. */
    public static final int KEY_BYTES = 32;

    /** The memory store: the default. */
    public static final StoreSettings MEMORY = new StoreSettings(Type.MEMORY, Optional.empty(), Optional.empty());

    /** Kinds of token store, with the value used in configuration. */
    public enum Type {
        /** Tokens live in memory and are lost on restart. */
        MEMORY("memory", true),
        /** Tokens are kept in an AES-GCM encrypted file. */
        FILE("file", true),
        /** Tokens are shared by several instances through Redis, sealed with AES-GCM. */
        REDIS("redis", true);

        private final String value;
        private final boolean available;

        Type(String value, boolean available) {
            this.value = value;
            this.available = available;
        }

        public String value() {
            return value;
        }

        public boolean isAvailable() {
            return available;
        }

        static Optional<Type> fromValue(String value) {
            return Arrays.stream(values()).filter(t -> t.value.equalsIgnoreCase(value.trim())).findFirst();
        }

        static List<String> availableValues() {
            return Arrays.stream(values()).filter(Type::isAvailable).map(Type::value).toList();
        }

        @Override
        public String toString() {
            return value;
        }
    }

    /**
     * The validated {@code oauth.store.redis.*} keys.
     *
     * @param url                 {@code redis://} or {@code rediss://} URL; a secret, since it may hold a password
     * @param username            ACL user, when not in the URL
     * @param password            password, when not in the URL
     * @param timeout             longest wait for Redis in one store operation
     * @param trustedCertificates PEM file a {@code rediss://} server certificate is checked against
     * @param keyPrefix           prefix of every Redis key
     */
    public record Redis(Secret url, Optional<String> username, Optional<Secret> password, Duration timeout,
            Optional<Path> trustedCertificates, String keyPrefix) {

        public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
        public static final String DEFAULT_KEY_PREFIX = "camel-oauth";

        public Redis {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(trustedCertificates, "trustedCertificates");
            Objects.requireNonNull(keyPrefix, "keyPrefix");
        }

        /** A URL with the defaults: credentials from the URL, 500 ms, the JVM's CAs, prefix camel-oauth. */
        public static Redis of(String url) {
            return new Redis(Secret.of(url), Optional.empty(), Optional.empty(), DEFAULT_TIMEOUT, Optional.empty(),
                    DEFAULT_KEY_PREFIX);
        }
    }

    /** Settings without Redis: the memory or the file store. */
    public StoreSettings(Type type, Optional<Path> filePath, Optional<Secret> encryptionKey) {
        this(type, filePath, encryptionKey, Optional.empty());
    }

    public StoreSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(filePath, "filePath");
        Objects.requireNonNull(encryptionKey, "encryptionKey");
        Objects.requireNonNull(redis, "redis");
        boolean file = type == Type.FILE;
        boolean shared = type == Type.REDIS;
        if (filePath.isPresent() != file || redis.isPresent() != shared || encryptionKey.isPresent() != (file || shared)) {
            throw new IllegalArgumentException("a file path goes with the file store, Redis settings with the redis"
                    + " store, and an encryption key with both, and only with them");
        }
        encryptionKey.ifPresent(k -> {
            if (decodedLength(k.reveal()) != KEY_BYTES) {
                throw new IllegalArgumentException("the encryption key must be base64 of " + KEY_BYTES + " bytes");
            }
        });
    }

    /** The Redis store with {@code redis} and the base64 AES-256 {@code encryptionKey}. */
    public static StoreSettings redis(Redis redis, String encryptionKey) {
        return new StoreSettings(Type.REDIS, Optional.empty(), Optional.of(Secret.of(encryptionKey.trim())),
                Optional.of(redis));
    }

    /** The file store's key as bytes, for the cipher only. */
    public Optional<byte[]> encryptionKeyBytes() {
        return encryptionKey.map(k -> Base64.getDecoder().decode(k.reveal().trim()));
    }

    /** The settings, or null when a key has a problem (one line each in {@code problems}). */
    static StoreSettings read(OAuthConfig.Store store, List<String> problems, Map<String, String> unresolved) {
        return new StoreReader(store, new KeyReader("", "", problems, unresolved)).read();
    }

    /** Bytes that a base64 text decodes to, or -1 when it is not base64. Never looks at more than the length. */
    static int decodedLength(String base64) {
        try {
            return Base64.getDecoder().decode(base64.trim()).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
