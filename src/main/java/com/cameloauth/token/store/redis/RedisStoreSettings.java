package com.cameloauth.token.store.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import com.cameloauth.token.store.TokenStoreException;
import com.cameloauth.token.store.TokenStoreException.Reason;

/**
 * How to reach the Redis that instances share tokens through. {@code toString} and every message show the
 * {@link #address() address} only: never the password or the encryption key.
 *
 * @param url                 {@code oauth.store.redis.url}: {@code redis://[user[:password]@]host[:port][/db]}, or
 *                            {@code rediss://} for TLS (the server certificate and host name are verified)
 * @param username            {@code oauth.store.redis.username}: ACL user, when not in the URL
 * @param password            {@code oauth.store.redis.password}: when not in the URL (a URL password wins)
 * @param encryptionKey       {@code oauth.store.encryption-key}: base64 of 32 bytes, the file store's format
 * @param timeout             {@code oauth.store.redis.timeout}: the longest any store operation waits on Redis
 *                            (default 500 ms); after it the operation fails with {@link Reason#UNAVAILABLE}
 * @param trustedCertificates {@code oauth.store.redis.trusted-certificates}: PEM file of the CA (or self-signed
 *                            certificate) that a {@code rediss://} server is checked against; default: the JVM's
 * @param keyPrefix           prefix of every Redis key (default {@value #DEFAULT_KEY_PREFIX}); an ACL user needs
 *                            {@code ~<prefix>:*}
 */
public record RedisStoreSettings(String url, Optional<String> username, Optional<String> password,
        String encryptionKey, Duration timeout, Optional<Path> trustedCertificates, String keyPrefix) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
    public static final String DEFAULT_KEY_PREFIX = "camel-oauth";

    public RedisStoreSettings {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(trustedCertificates, "trustedCertificates");
        parse(url);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("oauth.store.redis.timeout must be positive");
        }
        if (keyPrefix == null || keyPrefix.isBlank() || keyPrefix.contains("{") || keyPrefix.contains("}")) {
            throw new IllegalArgumentException("the Redis key prefix must be non-blank and contain no { or }");
        }
    }

    /** Settings with the defaults: credentials from the URL, 500 ms timeout, the JVM's trusted certificates. */
    public static RedisStoreSettings of(String url, String encryptionKey) {
        return new RedisStoreSettings(url, Optional.empty(), Optional.empty(), encryptionKey, DEFAULT_TIMEOUT,
                Optional.empty(), DEFAULT_KEY_PREFIX);
    }

    public RedisStoreSettings withCredentials(String user, String secret) {
        return new RedisStoreSettings(url, Optional.ofNullable(user), Optional.ofNullable(secret), encryptionKey,
                timeout, trustedCertificates, keyPrefix);
    }

    public RedisStoreSettings withTimeout(Duration max) {
        return new RedisStoreSettings(url, username, password, encryptionKey, max, trustedCertificates, keyPrefix);
    }

    public RedisStoreSettings withTrustedCertificates(Path pemFile) {
        return new RedisStoreSettings(url, username, password, encryptionKey, timeout, Optional.of(pemFile), keyPrefix);
    }

    public RedisStoreSettings withKeyPrefix(String prefix) {
        return new RedisStoreSettings(url, username, password, encryptionKey, timeout, trustedCertificates, prefix);
    }

    /** Whether the URL asks for TLS ({@code rediss://}). */
    public boolean tls() {
        return "rediss".equals(parse(url).getScheme());
    }

    /** {@code redis://host:port} or {@code rediss://host:port}: safe to show, without user or password. */
    public String address() {
        URI uri = parse(url);
        return uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    /** Checks the URL; the messages never quote it, since it may carry a password. */
    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new TokenStoreException(Reason.IO, "the Redis token store needs oauth.store.redis.url,"
                    + " e.g. redis://redis.example:6379 or rediss://redis.example:6380");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new TokenStoreException(Reason.IO, "oauth.store.redis.url is not a valid URL (its value is not shown:"
                    + " it may contain a password). Expected redis://[user:password@]host[:port] or rediss://...");
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new TokenStoreException(Reason.IO, "oauth.store.redis.url must be redis://host[:port] or"
                    + " rediss://host[:port] (TLS); sentinel, cluster and socket URLs are not supported");
        }
        return uri;
    }

    @Override
    public String toString() {
        return "RedisStoreSettings[" + address() + ", user=" + username.orElse("-") + ", password="
                + (password.isPresent() ? "***" : "-") + ", timeout=" + timeout + ", keyPrefix=" + keyPrefix + "]";
    }
}
