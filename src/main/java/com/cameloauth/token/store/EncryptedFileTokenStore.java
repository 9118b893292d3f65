package com.cameloauth.token.store;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token sets in one AES-256-GCM encrypted file, so consented refresh tokens survive restarts.
 * <ul>
 * <li>Opening checks everything: a wrong key, a modified or truncated file, or a path that cannot be written is a
 * {@link TokenStoreException} at startup, not at the first refresh.</li>
 * <li>Every write encrypts the whole file with a fresh nonce and replaces it atomically with an owner-only
 * ({@code rw-------}) file (see {@link StoreFile#replace}); nothing is ever written in clear.</li>
 * <li>Every operation holds this instance's lock and an OS lock on {@code <file>.lock}, and re-reads the file if
 * another process replaced it. So compare-and-set is atomic across threads and across processes on one host that
 * share the file: no update is lost. (Hosts sharing a network file system are not covered: use Redis.)</li>
 * </ul>
 * Leases are OS locks on one byte of {@code <file>.lock} per key: processes on one host sharing the file make one
 * token request at a time per key, and a process that dies loses its leases at once. The ttl is not needed for that
 * and is not enforced: a lease lasts until it is released or its store closed.
 */
public final class EncryptedFileTokenStore implements TokenStore {
    private static final Logger LOG = LoggerFactory.getLogger(EncryptedFileTokenStore.class);

    private final StoreFile file;
    private final StoreFileCipher cipher;
    private final ReentrantLock lock = new ReentrantLock();
    private StoreSnapshot snapshot;
    /** The file's bytes as last read or written; a different file means another process wrote it. */
    private byte[] lastSealed;
    private boolean closed;
    private final FileLeases leases;

    private EncryptedFileTokenStore(StoreFile file, StoreFileCipher cipher) {
        this.file = file;
        this.cipher = cipher;
        this.leases = new FileLeases(file);
    }

    /**
     * Opens (or creates) the store at {@code path} with a base64 key of 32 bytes, reading and checking the whole file.
     *
     * @throws TokenStoreException if the key is invalid or wrong, the file is damaged, or the path cannot be written
     */
    public static EncryptedFileTokenStore open(Path path, String base64Key) {
        byte[] key = StoreFileCipher.decodeKey(base64Key);
        try {
            return open(path, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** As {@link #open(Path, String)} with the raw 32 key bytes (copied; the caller may clear its array). */
    public static EncryptedFileTokenStore open(Path path, byte[] key) {
        Objects.requireNonNull(path, "path");
        StoreFileCipher cipher = new StoreFileCipher(key);
        Path absolute = path.toAbsolutePath().normalize();
        EncryptedFileTokenStore store = new EncryptedFileTokenStore(StoreFile.open(absolute), cipher);
        try {
            store.locked(store::initialize);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private Void initialize() {
        if (!file.exists()) {
            write(StoreSnapshot.EMPTY);
            LOG.info("token store {} created (encrypted, owner-only)", file.path());
            return null;
        }
        refresh();
        if (file.isOpenToOthers()) {
            LOG.warn("token store {} was open to other users; rewriting it owner-only (rw-------)", file.path());
        }
        // Rewriting proves at startup that the directory is writable, and makes the file owner-only again.
        write(snapshot);
        LOG.info("token store {} opened: {} entries", file.path(), snapshot.entries().size());
        return null;
    }

    @Override
    public Optional<Versioned<TokenSet>> load(StoreKey key) {
        Objects.requireNonNull(key, "key");
        return locked(() -> snapshot.get(key));
    }

    @Override
    public Optional<Versioned<TokenSet>> compareAndSet(StoreKey key, long expectedVersion, TokenSet next) {
        Objects.requireNonNull(key, "key");
        if (next == null) {
            throw new IllegalArgumentException("use delete to remove an entry");
        }
        return locked(() -> {
            if (snapshot.versionOf(key) != expectedVersion) {
                return Optional.empty();
            }
            write(snapshot.with(key, next));
            return snapshot.get(key);
        });
    }

    @Override
    public boolean compareAndDelete(StoreKey key, long expectedVersion) {
        Objects.requireNonNull(key, "key");
        return locked(() -> {
            if (expectedVersion == ABSENT || snapshot.versionOf(key) != expectedVersion) {
                return false;
            }
            write(snapshot.without(key));
            return true;
        });
    }

    @Override
    public void delete(StoreKey key) {
        Objects.requireNonNull(key, "key");
        locked(() -> {
            if (snapshot.versionOf(key) != ABSENT) {
                write(snapshot.without(key));
            }
            return null;
        });
    }

    /**
     * Grants the lease if no process (and no other lease in this JVM) holds the key's byte of the lock file. The
     * fencing token is a version used up for it, so fencing tokens of a file only ever increase.
     */
    @Override
    public Optional<Lease> tryAcquireLease(StoreKey key, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ttl, "ttl");
        return locked(() -> {
            FileLock lock = leases.tryLock(key).orElse(null);
            if (lock == null) {
                return Optional.empty();
            }
            try {
                write(snapshot.withVersionUsed());
            } catch (RuntimeException e) {
                leases.releaseQuietly(lock);
                throw e;
            }
            return Optional.of(leases.grant(lock, key, snapshot.lastVersion(), ttl));
        });
    }

    @Override
    public void release(Lease lease) {
        lock.lock();
        try {
            leases.release(lease);
        } finally {
            lock.unlock();
        }
    }

    /** The store's file. */
    public Path path() {
        return file.path();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                leases.clear();
                file.close();
            }
        } catch (IOException e) {
            LOG.debug("closing the lock file of token store {}: {}", file.path(), e.toString());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "EncryptedFileTokenStore[" + file.path() + "]";
    }

    /** Runs {@code action} holding both locks, on a snapshot that is current with the file. */
    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("token store " + file.path() + " is closed");
            }
            try (FileLock ignored = file.lock()) {
                if (snapshot != null) {
                    refresh();
                }
                return action.get();
            } catch (IOException e) {
                throw StoreFile.unusable(file.path(), "cannot unlock it", e);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Decrypts the file again if it is not the one last read or written (another process replaced it). Compares the
     * bytes, not the modification time or inode, which can repeat within a timestamp tick; every write has a fresh
     * random nonce, so two writes never give the same bytes. Store files are small: a read per operation is cheap.
     */
    private void refresh() {
        byte[] sealed = file.read();
        if (Arrays.equals(sealed, lastSealed)) {
            return;
        }
        byte[] plain = cipher.open(sealed, file.path().toString());
        try {
            snapshot = StoreFileCodec.decode(plain);
        } catch (IOException e) {
            throw StoreFileCipher.corrupt(file.path().toString(), "decrypted but its content is invalid");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        lastSealed = sealed;
    }

    /** Encrypts and writes {@code next}; only once it is on disk does it become the snapshot. */
    private void write(StoreSnapshot next) {
        byte[] plain = StoreFileCodec.encode(next);
        byte[] sealed;
        try {
            sealed = cipher.seal(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        file.replace(sealed);
        lastSealed = sealed;
        snapshot = next;
    }
}
