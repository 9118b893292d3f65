package com.cameloauth.connection;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code oauth.store.*} into {@link StoreSettings}. Never shows the encryption key, not even a part of it, nor
 * the Redis URL (it may hold a password).
 */
final class StoreReader {
    static final String TYPE = "oauth.store.type";
    static final String FILE_PATH = "oauth.store.file.path";
    static final String ENCRYPTION_KEY = "oauth.store.encryption-key";
    static final String REDIS_URL = "oauth.store.redis.url";
    static final String REDIS_USERNAME = "oauth.store.redis.username";
    static final String REDIS_PASSWORD = "oauth.store.redis.password";
    static final String REDIS_TIMEOUT = "oauth.store.redis.timeout";
    static final String REDIS_TRUSTED_CERTIFICATES = "oauth.store.redis.trusted-certificates";
    static final String REDIS_KEY_PREFIX = "oauth.store.redis.key-prefix";
    private static final Duration MAX_REDIS_TIMEOUT = Duration.ofMinutes(1);
    private static final String KEY_HINT = ": base64 of 32 random bytes, e.g. from openssl rand -base64 32";

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
        String shown = type == null ? "not valid" : type.value();
        if (type != StoreSettings.Type.FILE) {
            // Set but unused would mean tokens silently kept elsewhere: say so.
            path.ifPresent(p -> keys.problem(FILE_PATH, "is set, but " + TYPE + " is " + shown + "; set " + TYPE
                    + "=file to keep tokens in an encrypted file"));
        }
        if (type != StoreSettings.Type.REDIS) {
            redisKeysSet().forEach(k -> keys.problem(k, "is set, but " + TYPE + " is " + shown + "; set " + TYPE
                    + "=redis to share tokens through Redis"));
        }
        if (type == StoreSettings.Type.FILE) {
            Path file = path(keys.required(FILE_PATH, store.file().path(), " for the file store"));
            String encryptionKey = encryptionKey(keys.required(ENCRYPTION_KEY, store.encryptionKey(),
                    " for the file store" + KEY_HINT));
            if (keys.problemCount() > before || file == null || encryptionKey == null) {
                return null;
            }
            return new StoreSettings(type, Optional.of(file), Optional.of(Secret.of(encryptionKey.trim())));
        }
        if (type == StoreSettings.Type.REDIS) {
            StoreSettings.Redis redis = redis();
            String encryptionKey = encryptionKey(keys.required(ENCRYPTION_KEY, store.encryptionKey(),
                    " for the redis store (every instance the same key)" + KEY_HINT));
            if (keys.problemCount() > before || redis == null || encryptionKey == null) {
                return null;
            }
            return StoreSettings.redis(redis, encryptionKey);
        }
        key.ifPresent(k -> keys.problem(ENCRYPTION_KEY, "is set, but " + TYPE + " is " + shown + "; set " + TYPE
                + "=file or redis to keep tokens encrypted in a file or in Redis"));
        return keys.problemCount() > before ? null : StoreSettings.MEMORY;
    }

    private List<String> redisKeysSet() {
        OAuthConfig.Store.Redis r = store.redis();
        List<String> set = new ArrayList<>();
        addIfSet(set, REDIS_KEY_PREFIX, r.keyPrefix());
        addIfSet(set, REDIS_PASSWORD, r.password());
        addIfSet(set, REDIS_TIMEOUT, r.timeout());
        addIfSet(set, REDIS_TRUSTED_CERTIFICATES, r.trustedCertificates());
        addIfSet(set, REDIS_URL, r.url());
        addIfSet(set, REDIS_USERNAME, r.username());
        return set;
    }

    private void addIfSet(List<String> set, String key, Optional<String> value) {
        if (keys.nonBlank(key, value).isPresent()) {
            set.add(key);
        }
    }

    /** The Redis settings, or null when a key has a problem (reported). */
    private StoreSettings.Redis redis() {
        OAuthConfig.Store.Redis r = store.redis();
        int before = keys.problemCount();
        String url = redisUrl(keys.required(REDIS_URL, r.url(), " for the redis store, e.g. redis://redis.example:6379"
                + " or rediss://redis.example:6380 (TLS)"));
        Optional<String> username = keys.nonBlank(REDIS_USERNAME, r.username());
        Optional<Secret> password = keys.value(REDIS_PASSWORD, r.password()).filter(p -> !p.isEmpty()).map(Secret::of);
        Duration timeout = keys.positive(REDIS_TIMEOUT, keys.duration(REDIS_TIMEOUT, r.timeout(),
                StoreSettings.Redis.DEFAULT_TIMEOUT, MAX_REDIS_TIMEOUT));
        Optional<String> pem = keys.nonBlank(REDIS_TRUSTED_CERTIFICATES, r.trustedCertificates());
        Optional<Path> certificates = pem.map(this::certificates);
        String prefix = keys.nonBlank(REDIS_KEY_PREFIX, r.keyPrefix()).orElse(StoreSettings.Redis.DEFAULT_KEY_PREFIX);
        if (prefix.contains("{") || prefix.contains("}") || prefix.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            keys.problem(REDIS_KEY_PREFIX, "'" + HttpHeaderNames.printable(prefix) + "' must be printable ASCII"
                    + " without spaces, { or } (braces mark the Redis Cluster hash tag)");
        }
        if (keys.problemCount() > before || url == null || pem.isPresent() && certificates.isEmpty()) {
            return null;
        }
        return new StoreSettings.Redis(Secret.of(url), username, password, timeout, certificates, prefix);
    }

    /** Checks a Redis URL; no message quotes it, since it may carry a password. */
    private String redisUrl(String value) {
        if (value == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            keys.problem(REDIS_URL, "is not a valid URL (the value is not shown: it may contain a password); expected"
                    + " redis://[user:password@]host[:port] or rediss://... for TLS");
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            keys.problem(REDIS_URL, "scheme '" + HttpHeaderNames.printable(scheme) + "' is not supported; use redis://"
                    + " or rediss:// (TLS). Sentinel, cluster and socket URLs are not supported");
            return null;
        }
        if (uri.getHost() == null) {
            keys.problem(REDIS_URL, "has no host (the value is not shown: it may contain a password); expected "
                    + scheme + "://host[:port]");
            return null;
        }
        return value.strip();
    }

    /** The PEM file, or null (and a problem) when it cannot be read. */
    private Path certificates(String value) {
        try {
            Path p = Path.of(value);
            if (!Files.isReadable(p)) {
                keys.problem(REDIS_TRUSTED_CERTIFICATES, "'" + HttpHeaderNames.printable(value) + "' is not a readable"
                        + " file (a PEM file of CA certificates)");
                return null;
            }
            return p;
        } catch (InvalidPathException e) {
            keys.problem(REDIS_TRUSTED_CERTIFICATES, "'" + HttpHeaderNames.printable(value) + "' is not a valid path: "
                    + e.getReason());
            return null;
        }
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
            keys.problem(ENCRYPTION_KEY, "is not base64 (the value is not shown); it must be" + KEY_HINT.substring(1));
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
