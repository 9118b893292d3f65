package com.cameloauth.token.store;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases one file store instance holds: an OS lock on one byte of the lock file per key (by the hash of the key;
 * two keys sharing a byte only take turns). Not thread-safe: the store calls it under its own lock.
 */
final class FileLeases {
    private static final Logger LOG = LoggerFactory.getLogger(FileLeases.class);

    private final StoreFile file;
    private final Map<String, FileLock> held = new HashMap<>();

    FileLeases(StoreFile file) {
        this.file = file;
    }

    /** Locks the key's byte if no process and no other lease in this JVM holds it. */
    Optional<FileLock> tryLock(StoreKey key) {
        return file.tryLockSlot(key.value().hashCode());
    }

    /** Records a granted lock under a fresh, unguessable holder id. */
    Lease grant(FileLock lock, StoreKey key, long fencingToken, Duration ttl) {
        String holder = UUID.randomUUID().toString();
        held.put(holder, lock);
        return new Lease(key, holder, fencingToken, ttl);
    }

    /** Releases the lease if this instance holds it; a foreign or released lease is ignored. */
    void release(Lease lease) {
        FileLock lock = held.remove(lease.holder());
        if (lock != null) {
            releaseQuietly(lock);
        }
    }

    /** Forgets every lease: closing the lock file releases their locks. */
    void clear() {
        held.clear();
    }

    void releaseQuietly(FileLock lock) {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            LOG.debug("releasing a lease on token store {}: {}", file.path(), e.toString());
        }
    }
}
