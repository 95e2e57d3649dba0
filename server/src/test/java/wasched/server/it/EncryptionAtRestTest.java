package wasched.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import wasched.v1.CreateRecipientRequest;
import wasched.v1.Recipient;
import wasched.v1.Role;
import wasched.v1.ScheduleMessageRequest;

class EncryptionAtRestTest {
    static TestServer ts;

    @BeforeAll
    static void start() {
        ts = new TestServer();
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    @Test
    void raw_columns_hold_no_plaintext_phone_name_or_body() throws Exception {
        String user = ts.userToken("olga", Role.ROLE_USER);
        String recipient = ts.recipients(user).createRecipient(CreateRecipientRequest.newBuilder()
                .setRecipient(Recipient.newBuilder().setPhoneNumber("+49 151 9876 5432")
                        .setDisplayName("Zacharias Quellenberg")).build()).getRecipient().getName();
        var at = ts.clock.instant().plus(Duration.ofDays(1));
        ts.scheduling(user).scheduleMessage(ScheduleMessageRequest.newBuilder().setRecipient(recipient)
                .setBody("Secret rendezvous at the old mill")
                .setSendTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond())).build());

        List<String> everything = new ArrayList<>();
        try (Connection c = ts.server.database().dataSource().getConnection()) {
            for (String table : List.of("recipients", "messages", "message_transitions", "users")) {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM " + table)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            everything.add(String.valueOf(rs.getObject(i)));
                        }
                    }
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT phone_ct, name_ct FROM recipients")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("k1:");
                assertThat(rs.getString(2)).startsWith("k1:");
            }
        }
        String dump = String.join("\n", everything);
        assertThat(dump).doesNotContain("15198765432", "9876", "Zacharias", "Quellenberg", "rendezvous");
    }

    @Test
    void key_rotation_status_counts_rows_still_sealed_under_an_older_key() throws Exception {
        String admin = ts.adminToken();
        var adminApi = wasched.v1.AdminServiceGrpc.newBlockingStub(ts.channel())
                .withCallCredentials(TestServer.bearer(admin))
                .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS);
        String recipient = ts.createRecipient(admin, "+48 512 345 678", "Ola Nowak");
        var at = ts.clock.instant().plus(Duration.ofDays(2));
        String message = ts.scheduling(admin).scheduleMessage(ScheduleMessageRequest.newBuilder()
                .setRecipient(recipient).setBody("rotate me")
                .setSendTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond())).build()).getMessage().getName();
        var status = adminApi.getKeyRotationStatus(wasched.v1.GetKeyRotationStatusRequest.getDefaultInstance());
        assertThat(status.getActiveKeyId()).isEqualTo("k1");
        assertThat(status.getKeyIdsList()).containsExactly("k1");
        assertThat(status.getRowsOnOldKeys()).isZero();

        // A row sealed before the last rotation carries the older key's id.
        try (Connection c = ts.server.database().dataSource().getConnection();
                var ps = c.prepareStatement("UPDATE messages SET body_ct = 'k0:' || substr(body_ct, 4) WHERE id = ?")) {
            ps.setObject(1, java.util.UUID.fromString(message.substring("messages/".length())));
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(adminApi.getKeyRotationStatus(wasched.v1.GetKeyRotationStatusRequest.getDefaultInstance())
                .getRowsOnOldKeys()).isEqualTo(1);
    }
}
