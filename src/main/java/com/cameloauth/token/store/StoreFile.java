package com.cameloauth.token.store;

import java.io.Closeable;
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
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cameloauth.token.store.TokenStoreException.Reason;

/**
 * The file system side of the file store: an OS lock on {@code <file>.lock} and atomic owner-only replacement of
 * the file. Knows nothing of encryption or tokens. Every failure is a {@link TokenStoreException} naming the path.
 */
final class StoreFile implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final long LOCK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Path file;
    private final Path lockFile;
    private final boolean posix;
    private final FileChannel lockChannel;

    private StoreFile(Path file, Path lockFile, boolean posix, FileChannel lockChannel) {
        this.file = file;
        this.lockFile = lockFile;
        this.posix = posix;
        this.lockChannel = lockChannel;
    }

    /** Creates the directory if needed and opens the lock file. */
    static StoreFile open(Path file) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try {
            Path dir = Files.createDirectories(file.getParent());
            boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
            FileChannel lockChannel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE), ownerOnly(posix));
            return new StoreFile(file, lockFile, posix, lockChannel);
        } catch (IOException e) {
            throw unusable(file, "cannot create its directory or lock file", e);
        }
    }

    Path path() {
        return file;
    }

    boolean exists() {
        return Files.exists(file);
    }

    /**
     * Locks one byte of the lock file, never the whole file. Polls instead of blocking, so a stuck process cannot
     * hang us forever. OverlappingFileLockException means another store instance in this JVM holds it: wait for it
     * as for another process.
     */
    FileLock lock() {
        long deadline = System.nanoTime() + LOCK_TIMEOUT_NANOS;
        while (true) {
            try {
                FileLock fileLock = lockChannel.tryLock(0, 1, false);
                if (fileLock != null) {
                    return fileLock;
                }
            } catch (OverlappingFileLockException e) {
                // same JVM, another instance on this file: wait below
            } catch (IOException e) {
                throw unusable(file, "cannot lock " + lockFile, e);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TokenStoreException(Reason.IO, "token store " + file + ": another process has held "
                        + lockFile + " for over 10 s. Is another instance of this application stuck?");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /**
     * Tries to lock the byte of the lock file that stands for {@code slot} (byte 0 is the write lock, so slots start
     * at 1). Empty if another process, or another lock in this JVM, holds it. The OS drops the lock when the process
     * exits, however it exits.
     */
    Optional<FileLock> tryLockSlot(int slot) {
        try {
            return Optional.ofNullable(lockChannel.tryLock(1L + Integer.toUnsignedLong(slot), 1, false));
        } catch (OverlappingFileLockException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw unusable(file, "cannot lock " + lockFile, e);
        }
    }

    byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TokenStoreException(Reason.IO, "token store " + file + " disappeared. Restore it, or restart"
                    + " to start empty (connections with consent will need it again)", e);
        } catch (IOException e) {
            throw unusable(file, "cannot read it", e);
        }
    }

    /** Whether others than the owner may read or write the file (always false where there are no POSIX bits). */
    boolean isOpenToOthers() {
        try {
            return posix && !OWNER_ONLY.equals(Files.getPosixFilePermissions(file));
        } catch (IOException e) {
            throw unusable(file, "cannot read its permissions", e);
        }
    }

    /**
     * Replaces the file with {@code bytes}: a temporary file created owner-only in the same directory (never readable
     * by others, not even for a moment), forced to disk, renamed over the file atomically, then the directory forced.
     * A crash leaves the old file or the new one, never half of one.
     */
    void replace(byte[] bytes) {
        Path dir = file.getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", ownerOnly(posix));
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (IOException e) {
            throw unusable(file, "cannot write it", e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
        forceDirectory(dir);
    }

    /** Makes the rename durable. Not every platform can open a directory; there the rename is as durable as it gets. */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.trace("cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.debug("leftover temporary file {}: {}", temp, e.toString());
        }
    }

    private static FileAttribute<?>[] ownerOnly(boolean posix) {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    }

    static TokenStoreException unusable(Path file, String problem, IOException e) {
        return new TokenStoreException(Reason.IO, "token store " + file + ": " + problem + " (" + e + "). Check that"
                + " the path (oauth.store.file.path) is a writable location for this process and the disk is not"
                + " full", e);
    }

    /** Releases the OS lock (if held) and the lock file handle. */
    @Override
    public void close() throws IOException {
        lockChannel.close();
    }
}
