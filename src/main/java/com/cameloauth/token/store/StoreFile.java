package com.cameloauth.token.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
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

/**
 * The file system side of the file store: an OS lock on {@code <file>.lock} and atomic owner-only replacement of
 * the file. Knows nothing of encryption or tokens.
 */
final class StoreFile implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreFile.class);
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final long LOCK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Path file;
    private final Path lockFile;
    private final boolean posix;
    private final FileChannel lockChannel;

    /** Creates the directory and opens the lock file. */
    StoreFile(Path file) throws IOException {
        this.file = file;
        this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
        Path dir = Files.createDirectories(file.getParent());
        this.posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        this.lockChannel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), ownerOnly());
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
    FileLock lock() throws IOException {
        long deadline = System.nanoTime() + LOCK_TIMEOUT_NANOS;
        while (true) {
            try {
                FileLock fileLock = lockChannel.tryLock(0, 1, false);
                if (fileLock != null) {
                    return fileLock;
                }
            } catch (OverlappingFileLockException e) {
                // same JVM, another instance on this file: wait below
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("another process has held " + lockFile + " for over 10 s; is one stuck?");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /**
     * Tries to lock the byte of the lock file that stands for {@code slot} (byte 0 is the write lock, so slots start
     * at 1). Empty if another process, or another lock in this JVM, holds it. The OS drops the lock when the process
     * exits, however it exits.
     */
    Optional<FileLock> tryLockSlot(int slot) throws IOException {
        try {
            return Optional.ofNullable(lockChannel.tryLock(1L + Integer.toUnsignedLong(slot), 1, false));
        } catch (OverlappingFileLockException e) {
            return Optional.empty();
        }
    }

    byte[] read() throws IOException {
        return Files.readAllBytes(file);
    }

    /** Whether others than the owner may read or write the file (always false where there are no POSIX bits). */
    boolean isOpenToOthers() throws IOException {
        return posix && !OWNER_ONLY.equals(Files.getPosixFilePermissions(file));
    }

    /**
     * Replaces the file with {@code bytes}: a temporary file created owner-only in the same directory (never readable
     * by others, not even for a moment), forced to disk, renamed over the file atomically, then the directory forced.
     * A crash leaves the old file or the new one, never half of one.
     */
    void replace(byte[] bytes) throws IOException {
        Path dir = file.getParent();
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", ownerOnly());
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
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

    private FileAttribute<?>[] ownerOnly() {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    }

    /** Releases the OS lock (if held) and the lock file handle. */
    @Override
    public void close() throws IOException {
        lockChannel.close();
    }
}
