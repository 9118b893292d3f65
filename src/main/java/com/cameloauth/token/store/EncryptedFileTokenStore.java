package com.cameloauth.token.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cameloauth.token.store.TokenStoreException.Reason;

/**
 * Token sets in one AES-256-GCM encrypted file, so consented refresh tokens survive restarts.
 * <ul>
 * <li>Opening checks everything: a wrong key, a modified or truncated file, or a path that cannot be written is a
 * {@link TokenStoreException} at startup, not at the first refresh.</li>
 * <li>Every write encrypts the whole file with a fresh nonce into a temporary file created owner-only
 * ({@code rw-------}) in the same directory, forces it to disk, renames it over the old one atomically and forces the
 * directory: a crash leaves the old file or the new one, never half of one.</li>
 * <li>Every read-modify-write holds this instance's lock and an OS lock on {@code <file>.lock}, and re-reads the file
 * if it changed since the last look. So compare-and-set is atomic across threads and across processes on one host
 * that share the file: no update is lost. (It does not make two hosts on a network file system safe; use Redis.)</li>
 * </ul>
 * Leases are the single-instance default: processes sharing a file still each make their own token request, but
 * compare-and-set keeps a rotated refresh token from being overwritten.
 */
public final class EncryptedFileTokenStore implements TokenStore {
    private static final Logger LOG = LoggerFactory.getLogger(EncryptedFileTokenStore.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final long LOCK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** What the file looked like when last read or written: a rename gives a new file key (inode). */
    private record FileStamp(Object fileKey, FileTime modified, long size) {
    }

    private final Path file;
    private final Path lockFile;
    private final StoreFileCipher cipher;
    private final boolean posix;
    private final ReentrantLock lock = new ReentrantLock();
    private final FileChannel lockChannel;
    private StoreSnapshot snapshot;
    private FileStamp stamp;
    private boolean closed;

    private EncryptedFileTokenStore(Path file, StoreFileCipher cipher) {
        this.file = file;
        this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
        this.cipher = cipher;
        Path dir = file.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw unwritable("cannot create its directory " + dir, e);
        }
        this.posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            this.lockChannel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), ownerOnly());
        } catch (IOException e) {
            throw unwritable("cannot open its lock file " + lockFile, e);
        }
    }

    /**
     * Opens (or creates) the store at {@code file} with a base64 key of 32 bytes, reading and checking the whole file.
     *
     * @throws TokenStoreException if the key is invalid or wrong, the file is damaged, or the path cannot be written
     */
    public static EncryptedFileTokenStore open(Path file, String base64Key) {
        byte[] key = StoreFileCipher.decodeKey(base64Key);
        try {
            return open(file, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** As {@link #open(Path, String)} with the raw 32 key bytes (copied; the caller may clear its array). */
    public static EncryptedFileTokenStore open(Path file, byte[] key) {
        Objects.requireNonNull(file, "file");
        StoreFileCipher cipher = new StoreFileCipher(key);
        EncryptedFileTokenStore store = new EncryptedFileTokenStore(file.toAbsolutePath().normalize(), cipher);
        try {
            store.locked(store::initialize);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private Void initialize() {
        if (!Files.exists(file)) {
            write(StoreSnapshot.EMPTY);
            LOG.info("token store {} created (encrypted, owner-only)", file);
            return null;
        }
        refresh();
        if (posix && !OWNER_ONLY.equals(permissions())) {
            LOG.warn("token store {} was readable by others; rewriting it owner-only (rw-------)", file);
        }
        // Rewriting proves at startup that the directory is writable, and makes the file owner-only again.
        write(snapshot);
        LOG.info("token store {} opened: {} entries", file, snapshot.entries().size());
        return null;
    }

    @Override
    public Optional<Versioned<TokenSet>> load(StoreKey key) {
        Objects.requireNonNull(key, "key");
        return locked(() -> {
            refresh();
            return snapshot.get(key);
        });
    }

    @Override
    public Optional<Versioned<TokenSet>> compareAndSet(StoreKey key, long expectedVersion, TokenSet next) {
        Objects.requireNonNull(key, "key");
        if (next == null) {
            throw new IllegalArgumentException("use delete to remove an entry");
        }
        return locked(() -> {
            refresh();
            if (snapshot.versionOf(key) != expectedVersion) {
                return Optional.empty();
            }
            StoreSnapshot changed = snapshot.with(key, next);
            write(changed);
            return changed.get(key);
        });
    }

    @Override
    public boolean compareAndDelete(StoreKey key, long expectedVersion) {
        Objects.requireNonNull(key, "key");
        return locked(() -> {
            refresh();
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
            refresh();
            if (snapshot.versionOf(key) != ABSENT) {
                write(snapshot.without(key));
            }
            return null;
        });
    }

    /** The store's file. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.debug("closing the lock file of token store {}: {}", file, e.toString());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "EncryptedFileTokenStore[" + file + "]";
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("token store " + file + " is closed");
            }
            try (FileLock ignored = acquireFileLock()) {
                return action.get();
            } catch (IOException e) {
                throw unwritable("cannot lock " + lockFile, e);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Polls instead of blocking so a stuck process cannot hang us forever. Locks one byte, never the whole file.
     * OverlappingFileLockException means another store instance in this JVM holds it: wait for it like for a process.
     */
    private FileLock acquireFileLock() throws IOException {
        long deadline = System.nanoTime() + LOCK_TIMEOUT_NANOS;
        while (true) {
            try {
                FileLock fileLock = lockChannel.tryLock(0, 1, false);
                if (fileLock != null) {
                    return fileLock;
                }
            } catch (OverlappingFileLockException e) {
                // same JVM, another instance on this file: fall through and wait
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TokenStoreException(Reason.IO, "token store " + file + ": another process has held "
                        + lockFile + " for over 10 s. Is another instance stuck?");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /** Re-reads the file if it is not the one last read or written (another process replaced it). */
    private void refresh() {
        FileStamp now;
        try {
            now = stat();
        } catch (NoSuchFileException e) {
            throw new TokenStoreException(Reason.IO, "token store " + file + " disappeared. Restore it or restart"
                    + " to start empty (connections with consent will need it again)", e);
        } catch (IOException e) {
            throw unwritable("cannot read it", e);
        }
        if (now.equals(stamp)) {
            return;
        }
        byte[] sealed;
        try {
            sealed = Files.readAllBytes(file);
        } catch (IOException e) {
            throw unwritable("cannot read it", e);
        }
        byte[] plain = cipher.open(sealed, file.toString());
        try {
            snapshot = StoreFileCodec.decode(plain);
        } catch (IOException e) {
            throw StoreFileCipher.corrupt(file.toString(), "decrypted but its content is invalid");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        stamp = now;
    }

    private void write(StoreSnapshot next) {
        byte[] plain = StoreFileCodec.encode(next);
        byte[] sealed;
        try {
            sealed = cipher.seal(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        Path dir = file.getParent();
        Path temp = null;
        try {
            // Created owner-only: there is no moment when the new file is readable by others.
            temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", ownerOnly());
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(sealed);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            forceDirectory(dir);
            snapshot = next;
            stamp = stat();
        } catch (IOException e) {
            throw unwritable("cannot write it", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.debug("leftover temporary file {}: {}", temp, e.toString());
                }
            }
        }
    }

    /** Makes the rename durable. Not every platform can open a directory; there the rename is as durable as it gets. */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.trace("cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    private FileStamp stat() throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new FileStamp(a.fileKey(), a.lastModifiedTime(), a.size());
    }

    private Set<PosixFilePermission> permissions() {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            throw unwritable("cannot read its permissions", e);
        }
    }

    private FileAttribute<?>[] ownerOnly() {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    }

    private TokenStoreException unwritable(String problem, IOException e) {
        return new TokenStoreException(Reason.IO, "token store " + file + ": " + problem + " (" + e + "). Check that"
                + " the path (oauth.store.file.path) is a writable directory location for this process and the disk"
                + " is not full", e);
    }
}
