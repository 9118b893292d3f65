package com.cameloauth.token.store.redis;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cameloauth.token.store.Lease;
import com.cameloauth.token.store.StoreKey;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.token.store.TokenSetCipher;
import com.cameloauth.token.store.TokenStore;
import com.cameloauth.token.store.TokenStoreException;
import com.cameloauth.token.store.TokenStoreException.Reason;
import com.cameloauth.token.store.UnreadableEntryException;
import com.cameloauth.token.store.Versioned;

/**
 * Token sets in Redis, shared by every instance that points at it ({@code oauth.store.type=redis}).
 * <ul>
 * <li>Entries are sealed with AES-256-GCM under {@code oauth.store.encryption-key} (the file store's key and format,
 * see {@link TokenSetCipher}); Redis never sees a token in clear. Key names: {@link RedisKeys}.</li>
 * <li>Compare-and-set, compare-and-delete, lease and release are Lua scripts ({@link RedisScript}), atomic on the
 * server; versions and fencing tokens strictly increase per key and never repeat.</li>
 * <li>A lease is {@code SET <lease key> <holder>:<fencing token> NX PX <ttl>}: Redis ends it after the ttl if its holder
 * dies; release removes it only while this holder still has it.</li>
 * <li>No call waits on Redis longer than {@link RedisStoreSettings#timeout()}; when Redis is down or slow, calls fail
 * at once or at the timeout with {@link Reason#UNAVAILABLE}, and work again as soon as Redis is back. A write that
 * timed out has an unknown outcome: it may still run when a hung Redis resumes (it is never re-sent). Load before
 * trying again; compare-and-set keeps that safe.</li>
 * </ul>
 * Needs {@code io.lettuce:lettuce-core} (6.8.x) on the class path; this class loads without it and {@link #open} says
 * what is missing.
 */
public final class RedisTokenStore implements TokenStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisTokenStore.class);
    private static final String LETTUCE = "io.lettuce.core.RedisClient";

    private final LettuceConnection redis;
    private final TokenSetCipher cipher;
    private final String prefix;
    private final String address;
    private final SecureRandom random = new SecureRandom();
    private volatile boolean closed;

    private RedisTokenStore(LettuceConnection redis, TokenSetCipher cipher, RedisStoreSettings settings) {
        this.redis = redis;
        this.cipher = cipher;
        this.prefix = settings.keyPrefix();
        this.address = settings.address();
    }

    /**
     * Checks the key, connects and authenticates.
     *
     * @throws TokenStoreException {@link Reason#INVALID_KEY} for a bad encryption key, {@link Reason#IO} for a bad URL,
     *                             refused credentials or a missing Lettuce, {@link Reason#UNAVAILABLE} if Redis cannot
     *                             be reached
     */
    public static RedisTokenStore open(RedisStoreSettings settings) {
        Objects.requireNonNull(settings, "settings");
        requireLettuce(RedisTokenStore.class.getClassLoader());
        TokenSetCipher cipher = TokenSetCipher.fromBase64Key(settings.encryptionKey());
        RedisTokenStore store = new RedisTokenStore(LettuceConnection.open(settings), cipher, settings);
        LOG.info("token store {} opened (encrypted, key prefix {}, timeout {} ms)", settings.address(),
                settings.keyPrefix(), settings.timeout().toMillis());
        return store;
    }

    static void requireLettuce(ClassLoader loader) {
        try {
            Class.forName(LETTUCE, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new TokenStoreException(Reason.IO, "oauth.store.type=redis needs the Lettuce Redis client on the"
                    + " class path: add the dependency io.lettuce:lettuce-core (6.8.x, which runs on Netty 4.1), or"
                    + " choose oauth.store.type=memory or file");
        }
    }

    @Override
    public Optional<Versioned<TokenSet>> load(StoreKey key) {
        RedisKeys keys = keys(key);
        byte[][] entry = redis.hashFields(keys.token(), "v", "c");
        if (entry[0] == null || entry[1] == null) {
            return Optional.empty();
        }
        String where = address + " " + keys.token();
        long version;
        try {
            version = Long.parseLong(new String(entry[0], StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new TokenStoreException(Reason.CORRUPT, "token store entry " + where + " has no valid version:"
                    + " it was written by something else. Delete it (the connection fetches a new token)");
        }
        try {
            return Optional.of(new Versioned<>(cipher.open(key, entry[1], where), version));
        } catch (TokenStoreException e) {
            if (e.reason() == Reason.CORRUPT) {
                // garbage, or an entry moved from another key: replaceable by compare-and-set on its version
                throw new UnreadableEntryException(version, e.getMessage());
            }
            throw e;
        }
    }

    @Override
    public Optional<Versioned<TokenSet>> compareAndSet(StoreKey key, long expectedVersion, TokenSet next) {
        if (next == null) {
            throw new IllegalArgumentException("use delete to remove an entry");
        }
        RedisKeys keys = keys(key);
        long version = redis.script(RedisScript.COMPARE_AND_SET, keys.forToken(), ascii(expectedVersion),
                cipher.seal(key, next), ascii(writeId()));
        return version == ABSENT ? Optional.empty() : Optional.of(new Versioned<>(next, version));
    }

    @Override
    public boolean compareAndDelete(StoreKey key, long expectedVersion) {
        RedisKeys keys = keys(key);
        return redis.script(RedisScript.COMPARE_AND_DELETE, keys.forToken().subList(0, 1), ascii(expectedVersion)) == 1;
    }

    @Override
    public void delete(StoreKey key) {
        redis.delete(keys(key).token());
    }

    @Override
    public Optional<Lease> tryAcquireLease(StoreKey key, Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("a lease lasts at least 1 ms");
        }
        String holder = UUID.randomUUID().toString();
        long fencingToken = redis.script(RedisScript.ACQUIRE_LEASE, keys(key).forLease(), ascii(holder),
                ascii(ttl.toMillis()));
        return fencingToken == 0 ? Optional.empty() : Optional.of(new Lease(key, holder, fencingToken, ttl));
    }

    /** Removes the lease if {@code lease} still holds it. A lease of another store, or already gone, is ignored. */
    @Override
    public void release(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        if (lease.isLocal()) {
            return;
        }
        redis.script(RedisScript.RELEASE_LEASE, keys(lease.key()).forLease().subList(0, 1),
                ascii(lease.holder() + ":" + lease.fencingToken()));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            redis.close();
        }
    }

    @Override
    public String toString() {
        return "RedisTokenStore[" + address + ", prefix " + prefix + "]";
    }

    private RedisKeys keys(StoreKey key) {
        Objects.requireNonNull(key, "key");
        if (closed) {
            throw new IllegalStateException("token store " + address + " is closed");
        }
        return RedisKeys.of(prefix, key);
    }

    private static byte[] ascii(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.US_ASCII);
    }

    /** Identifies one compare-and-set, so that a copy of it reaching the server twice is recognised. */
    private String writeId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }
}
