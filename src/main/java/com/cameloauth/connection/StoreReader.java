package com.cameloauth.connection;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads {@code oauth.store.*} into {@link StoreSettings}. Never shows the encryption key, not even a part of it. */
final class StoreReader {
    static final String TYPE = "oauth.store.type";
    static final String FILE_PATH = "oauth.store.file.path";
    static final String ENCRYPTION_KEY = "oauth.store.encryption-key";

    private final OAuthConfig.Store store;
    private final KeyReader keys;

    StoreReader(OAuthConfig.Store store, KeyReader keys) {
        this.store = store;
        this.keys = keys;
    }

    /** The settings, or null when a key has a problem (reported). */
    StoreSettings read() {
        int before = keys.problemCount();
        keys.reportUnresolved();
        StoreSettings.Type type = type();
        Optional<String> path = keys.nonBlank(FILE_PATH, store.file().path());
        Optional<String> key = keys.nonBlank(ENCRYPTION_KEY, store.encryptionKey());
        if (type != StoreSettings.Type.FILE) {
            // Set but unused would mean tokens silently kept in memory: say so.
            String unused = "is set, but " + TYPE + " is " + (type == null ? "not valid" : type.value())
                    + "; set " + TYPE + "=file to keep tokens in an encrypted file";
            path.ifPresent(p -> keys.problem(FILE_PATH, unused));
            key.ifPresent(k -> keys.problem(ENCRYPTION_KEY, unused));
            return keys.problemCount() > before ? null : StoreSettings.MEMORY;
        }
        Path file = path(keys.required(FILE_PATH, store.file().path(), " for the file store"));
        String encryptionKey = encryptionKey(keys.required(ENCRYPTION_KEY, store.encryptionKey(),
                " for the file store: base64 of 32 random bytes, e.g. from openssl rand -base64 32"));
        if (keys.problemCount() > before || file == null || encryptionKey == null) {
            return null;
        }
        return new StoreSettings(type, Optional.of(file), Optional.of(Secret.of(encryptionKey.trim())));
    }

    private StoreSettings.Type type() {
        Optional<String> value = keys.nonBlank(TYPE, store.type());
        if (value.isEmpty()) {
            return StoreSettings.Type.MEMORY;
        }
        String shown = HttpHeaderNames.printable(value.get());
        Optional<StoreSettings.Type> type = StoreSettings.Type.fromValue(value.get());
        if (type.isEmpty()) {
            keys.problem(TYPE, "unknown store type '" + shown + "'" + Suggestions.didYouMean(value.get(),
                    StoreSettings.Type.availableValues()) + " (use one of: "
                    + String.join(", ", StoreSettings.Type.availableValues()) + ")");
            return null;
        }
        if (!type.get().isAvailable()) {
            keys.problem(TYPE, "store type '" + shown + "' is not available in this version (use one of: "
                    + String.join(", ", StoreSettings.Type.availableValues()) + ")");
            return null;
        }
        return type.get();
    }

    private Path path(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            keys.problem(FILE_PATH, "'" + HttpHeaderNames.printable(value) + "' is not a valid path: " + e.getReason());
            return null;
        }
    }

    /** The key's base64 text when it decodes to 32 bytes; otherwise one problem that shows nothing of the value. */
    private String encryptionKey(String value) {
        if (value == null) {
            return null;
        }
        int length = StoreSettings.decodedLength(value);
        if (length < 0) {
            keys.problem(ENCRYPTION_KEY, "is not base64 (the value is not shown); it must be base64 of 32 random bytes,"
                    + " e.g. from openssl rand -base64 32");
            return null;
        }
        if (length != StoreSettings.KEY_BYTES) {
            keys.problem(ENCRYPTION_KEY, "decodes to " + length + " bytes (the value is not shown); an AES-256 key is"
                    + " 32 bytes: base64 of 32 random bytes, e.g. from openssl rand -base64 32");
            return null;
        }
        return value;
    }
}
