package wasched.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static wasched.server.it.Grpc.failure;

import io.grpc.Status;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import wasched.v1.AdminServiceGrpc;
import wasched.v1.AuditEntry;
import wasched.v1.AuthServiceGrpc;
import wasched.v1.LockUserRequest;
import wasched.v1.LoginRequest;
import wasched.v1.QueryAuditLogRequest;
import wasched.v1.Role;
import wasched.v1.UnlockUserRequest;
import wasched.v1.VerifyAuditLogRequest;

class AuditLogTest {
    static TestServer ts;

    @BeforeAll
    static void start() {
        ts = new TestServer();
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    static AdminServiceGrpc.AdminServiceBlockingStub admin() {
        return AdminServiceGrpc.newBlockingStub(ts.channel()).withCallCredentials(TestServer.bearer(ts.adminToken()))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @Test
    void security_events_are_chained_verifiable_append_only_and_tampering_is_found() throws Exception {
        ts.userToken("otto", Role.ROLE_USER);
        var auth = AuthServiceGrpc.newBlockingStub(ts.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
        failure(() -> auth.login(LoginRequest.newBuilder().setUsername("otto").setPassword("wrong-password-1")
                .build()), Status.Code.UNAUTHENTICATED);
        admin().lockUser(LockUserRequest.newBuilder().setName("users/otto").build());
        admin().unlockUser(UnlockUserRequest.newBuilder().setName("users/otto").build());

        var entries = admin().queryAuditLog(QueryAuditLogRequest.newBuilder().setPageSize(1000).build())
                .getEntriesList();
        assertThat(entries).extracting(AuditEntry::getAction).containsSubsequence(
                "user.created", "login", "user.created", "login", "login.failed", "user.locked", "user.unlocked");
        assertThat(entries.get(0).getActor()).isEqualTo("bootstrap");
        assertThat(entries).filteredOn(e -> e.getAction().equals("user.locked")).extracting(AuditEntry::getActor)
                .containsExactly("users/admin");
        var ottos = admin().queryAuditLog(QueryAuditLogRequest.newBuilder().setActor("users/otto").build())
                .getEntriesList();
        assertThat(ottos).isNotEmpty().allMatch(e -> e.getActor().equals("users/otto"));

        var verified = admin().verifyAuditLog(VerifyAuditLogRequest.getDefaultInstance());
        assertThat(verified.getIntact()).isTrue();
        assertThat(verified.getCheckedCount()).isGreaterThanOrEqualTo(entries.size());

        try (Connection c = ts.server.database().dataSource().getConnection()) {
            assertThatThrownBy(() -> c.createStatement().executeUpdate("UPDATE audit_log SET detail = 'x' WHERE seq = 2"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> c.createStatement().executeUpdate("DELETE FROM audit_log WHERE seq = 2"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            // Someone with the power to switch the guard off edits history: the chain shows where.
            c.createStatement().execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete");
            c.createStatement().executeUpdate("UPDATE audit_log SET actor = 'users/nobody' WHERE seq = 3");
            c.createStatement().execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_or_delete");
        }
        var broken = admin().verifyAuditLog(VerifyAuditLogRequest.getDefaultInstance());
        assertThat(broken.getIntact()).isFalse();
        assertThat(broken.getFirstBrokenSequence()).isEqualTo(3);
        assertThat(broken.getCheckedCount()).isEqualTo(2);
    }

    @Test
    void paging_through_the_audit_log_returns_each_entry_once() {
        String first = ts.adminToken();
        assertThat(first).isNotEmpty();
        java.util.List<Long> seen = new java.util.ArrayList<>();
        String token = "";
        do {
            var page = admin().queryAuditLog(QueryAuditLogRequest.newBuilder().setPageSize(2).setPageToken(token)
                    .build());
            page.getEntriesList().forEach(e -> seen.add(e.getSequence()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertThat(seen).doesNotHaveDuplicates().isSorted().hasSizeGreaterThanOrEqualTo(3);
    }
}
