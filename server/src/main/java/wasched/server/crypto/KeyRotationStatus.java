package wasched.server.crypto;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * How far a key rotation has got: the active key, every key still usable for opening, and how
 * many sealed rows still carry an older key's id (found from the key-id prefix of each value,
 * without opening anything).
 */
public final class KeyRotationStatus {
    private final Keyring keyring;
    private final DataSource dataSource;

    public KeyRotationStatus(Keyring keyring, DataSource dataSource) {
        this.keyring = keyring;
        this.dataSource = dataSource;
    }

    /** The rotation status at this moment. */
    public record Status(String activeKeyId, List<String> keyIds, long rowsOnOldKeys) {}

    public Status status() {
        String prefix = keyring.activeKeyId() + ":";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT (SELECT count(*) FROM recipients
                        WHERE left(phone_ct, length(?)) <> ? OR left(name_ct, length(?)) <> ?)
                     + (SELECT count(*) FROM messages WHERE left(body_ct, length(?)) <> ?)""")) {
            for (int i = 1; i <= 6; i += 2) {
                ps.setString(i, prefix);
                ps.setString(i + 1, prefix);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Status(keyring.activeKeyId(), List.copyOf(new TreeSet<>(keyring.keyIds())), rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count rows by key id", e);
        }
    }
}
