package wasched.server.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes secret material (keys, keyrings) so that only the owning user can read it: files are created with
 * mode 0600 from the start and moved into place atomically, and missing parent directories are created 0700.
 */
public final class SecureFiles {

    private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");

    private SecureFiles() {
    }

    /** Returns the attribute for an owner-only (0600) file. */
    public static FileAttribute<Set<PosixFilePermission>> ownerOnlyFile() {
        return PosixFilePermissions.asFileAttribute(FILE_PERMS);
    }

    /** Creates {@code dir} and any missing parents with mode 0700; existing directories are left as they are. */
    public static void ensurePrivateDirectory(Path dir) {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        try {
            Files.createDirectories(absolute, PosixFilePermissions.asFileAttribute(DIR_PERMS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + absolute, e);
        }
    }

    /**
     * Writes {@code content} to {@code file} with mode 0600, replacing any previous file atomically. The data
     * goes to a 0600 temporary file in the same directory, is flushed to disk, and is then renamed over the
     * target, so readers never see a partial file and the secret is never readable by others.
     */
    public static void writePrivate(Path file, byte[] content) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        ensurePrivateDirectory(dir);
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", ownerOnlyFile());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort clean-up of the temporary file; the original error is already propagating
                }
            }
        }
    }
}
