package wasched.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes the session file (JSON). The file is created owner-only (0600) in an owner-only
 * directory (0700) and replaced atomically, so a token never sits in a world-readable file.
 */
final class SessionStore {
  static final Set<PosixFilePermission> FILE_PERMISSIONS =
      PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> DIR_PERMISSIONS =
      PosixFilePermissions.fromString("rwx------");

  private final Path file;

  SessionStore(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** The stored session, or empty when there is no session file. */
  Optional<Session> load() {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CliException(ExitCodes.AUTH, "cannot read session file " + file + ": " + e);
    }
    try {
      Struct.Builder struct = Struct.newBuilder();
      JsonFormat.parser().merge(json, struct);
      var f = struct.getFieldsMap();
      return Optional.of(
          new Session(
              text(f, "access_token"),
              instant(f, "access_token_expire_time"),
              text(f, "refresh_token"),
              instant(f, "refresh_token_expire_time"),
              text(f, "user"),
              text(f, "role"),
              text(f, "server")));
    } catch (InvalidProtocolBufferException | DateTimeParseException e) {
      throw new CliException(
          ExitCodes.AUTH, "session file " + file + " is unreadable: run `wasched login` again");
    }
  }

  /** Writes the session with permissions 0600, creating the directory (0700) if missing. */
  void save(Session session) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(dir)) {
      if (posix) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_PERMISSIONS));
      } else {
        Files.createDirectories(dir);
      }
    }
    FileAttribute<?>[] attrs =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS)}
            : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, ".cli-session-", ".tmp", attrs);
    try {
      Files.writeString(temp, toJson(session), StandardCharsets.UTF_8);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Deletes the session file; returns whether there was one. */
  boolean delete() throws IOException {
    return Files.deleteIfExists(file);
  }

  static String toJson(Session s) throws InvalidProtocolBufferException {
    Struct.Builder b = Struct.newBuilder();
    put(b, "access_token", s.accessToken());
    put(b, "access_token_expire_time", s.accessTokenExpireTime());
    put(b, "refresh_token", s.refreshToken());
    put(b, "refresh_token_expire_time", s.refreshTokenExpireTime());
    put(b, "user", s.user());
    put(b, "role", s.role());
    put(b, "server", s.server());
    return JsonFormat.printer().print(b) + System.lineSeparator();
  }

  private static void put(Struct.Builder b, String key, Object value) {
    if (value != null) {
      b.putFields(key, Value.newBuilder().setStringValue(value.toString()).build());
    }
  }

  private static String text(java.util.Map<String, Value> fields, String key) {
    Value v = fields.get(key);
    return v == null || v.getKindCase() != Value.KindCase.STRING_VALUE ? null : v.getStringValue();
  }

  private static Instant instant(java.util.Map<String, Value> fields, String key) {
    String s = text(fields, key);
    return s == null || s.isEmpty() ? null : Instant.parse(s);
  }
}
