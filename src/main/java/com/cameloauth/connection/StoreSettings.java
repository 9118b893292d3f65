package com.cameloauth.connection;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated {@code oauth.store.*} keys: where tokens are kept. {@link ConnectionDefinitions#settings} and
 * {@link ConnectionDefinitions#loadSettings} validate them together with the connections. Its {@code toString} masks
 * the encryption key.
 *
 * @param type          the kind of store
 * @param filePath      the file of the file store; present exactly for {@link Type#FILE}
 * @param encryptionKey the file store's AES-256 key as base64 (it decodes to 32 bytes); present exactly for {@link Type#FILE}
 */
public record StoreSettings(Type type, Optional<Path> filePath, Optional<Secret> encryptionKey) {

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
        /** Tokens are shared by several instances through Redis: a later version. */
        REDIS("redis", false);

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

    public StoreSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(filePath, "filePath");
        Objects.requireNonNull(encryptionKey, "encryptionKey");
        boolean file = type == Type.FILE;
        if (filePath.isPresent() != file || encryptionKey.isPresent() != file) {
            throw new IllegalArgumentException("a file path and an encryption key go with the file store, and only with it");
        }
        encryptionKey.ifPresent(k -> {
            if (decodedLength(k.reveal()) != KEY_BYTES) {
                throw new IllegalArgumentException("the encryption key must be base64 of " + KEY_BYTES + " bytes");
            }
        });
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
