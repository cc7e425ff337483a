package io.regmgr.runtime.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Key files on disk: read (with a warning when others may read the file) and written owner-only
 * ({@code rw-------} where the file system has POSIX permissions), as Inferno's key tools do.
 * Stateless.
 */
public final class KeyFiles {
    private static final System.Logger LOG = System.getLogger(KeyFiles.class.getName());

    private KeyFiles() {
    }

    /**
     * @return the parsed key file; logs a warning (naming the file, never its content) when group
     *     or others may read it
     * @throws AuthException {@code 'FILE': input or format error} for a file that is missing or is
     *     not a key file
     */
    public static KeyFile read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AuthException("'" + file + "': input or format error", "cannot read it: " + FileReadErrors.reason(e));
        }
        warnIfReadableByOthers(file);
        try {
            return KeyFile.parse(bytes);
        } catch (AuthException e) {
            throw new AuthException("'" + file + "': input or format error", e.getMessage());
        }
    }

    /** @return whether the file's permissions let group or others read it (false where unknown) */
    public static boolean readableByOthers(Path file) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return false;
        }
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException e) {
            return false;
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        if (readableByOthers(file)) {
            LOG.log(Level.WARNING, "key file " + file + " can be read by other users: it holds a secret key; "
                    + "chmod 600 it");
        }
    }

    /**
     * Writes {@code key} to {@code file}, created or replaced, readable and writable by its owner only.
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    public static void write(Path file, KeyFile key) {
        try {
            Files.deleteIfExists(file);
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.write(file, key.bytes(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write key file " + file + ": " + e.getMessage(), e);
        }
    }
}
