package wasched.server.api;

import io.grpc.stub.StreamObserver;
import wasched.server.DomainException;
import java.util.List;
import wasched.server.PageToken;
import wasched.server.audit.AuditLog;
import wasched.server.crypto.KeyRotationStatus;
import wasched.server.schedule.MessageScheduler;
import wasched.v1.AuditEntry;
import wasched.server.security.CallPrincipal;
import wasched.server.security.UserAccounts;
import wasched.v1.AdminServiceGrpc;
import wasched.v1.CreateUserRequest;
import wasched.v1.CreateUserResponse;
import wasched.v1.EraseUserDataRequest;
import wasched.v1.EraseUserDataResponse;
import wasched.v1.ExportUserDataRequest;
import wasched.v1.ExportUserDataResponse;
import wasched.v1.GetKeyRotationStatusRequest;
import wasched.v1.GetKeyRotationStatusResponse;
import wasched.v1.ListUsersRequest;
import wasched.v1.ListUsersResponse;
import wasched.v1.LockUserRequest;
import wasched.v1.LockUserResponse;
import wasched.v1.QueryAuditLogRequest;
import wasched.v1.QueryAuditLogResponse;
import wasched.v1.RunRetentionRequest;
import wasched.v1.RunRetentionResponse;
import wasched.v1.UnlockUserRequest;
import wasched.v1.UnlockUserResponse;
import wasched.v1.User;
import wasched.v1.VerifyAuditLogRequest;
import wasched.v1.VerifyAuditLogResponse;

/** AdminService. */
public final class AdminApi extends AdminServiceGrpc.AdminServiceImplBase {
    private final UserAccounts users;
    private final KeyRotationStatus keyStatus;
    private final AuditLog audit;
    private final MessageScheduler messages;
    private final java.time.Duration messageRetention;
    private final int maxPageSize;

    public AdminApi(UserAccounts users, KeyRotationStatus keyStatus, AuditLog audit, MessageScheduler messages,
            java.time.Duration messageRetention, int maxPageSize) {
        this.users = users;
        this.keyStatus = keyStatus;
        this.audit = audit;
        this.messages = messages;
        this.messageRetention = messageRetention;
        this.maxPageSize = maxPageSize;
    }

    @Override
    public void createUser(CreateUserRequest req, StreamObserver<CreateUserResponse> out) {
        Unary.respond(out, () -> {
            if (!req.hasUser()) {
                throw new DomainException.InvalidArgument("user", "required");
            }
            var account = users.create(ProtoMapper.user(CallPrincipal.current().username()),
                    req.getUser().getUsername(), req.getPassword().toCharArray(),
                    ProtoMapper.role(req.getUser().getRole()), "user.");
            return CreateUserResponse.newBuilder().setUser(user(account)).build();
        });
    }

    @Override
    public void listUsers(ListUsersRequest req, StreamObserver<ListUsersResponse> out) {
        Unary.respond(out, () -> {
            int size = PageToken.pageSize(req.getPageSize(), maxPageSize);
            int offset = offset(req.getPageToken());
            var page = users.list(offset, size + 1);
            var b = ListUsersResponse.newBuilder();
            page.stream().limit(size).forEach(a -> b.addUsers(user(a)));
            if (page.size() > size) {
                b.setNextPageToken(Integer.toString(offset + size));
            }
            return b.build();
        });
    }

    private static int offset(String token) {
        return (int) Math.min(Integer.MAX_VALUE, longOffset(token));
    }

    private static long longOffset(String token) {
        if (token.isEmpty()) {
            return 0;
        }
        try {
            long v = Long.parseLong(token);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new DomainException.InvalidArgument("page_token", "not a token from a previous response");
    }

    private static User user(UserAccounts.Account a) {
        return User.newBuilder()
                .setName(ProtoMapper.user(a.username()))
                .setUsername(a.username())
                .setRole(ProtoMapper.role(a.role()))
                .setLocked(a.locked())
                .setCreateTime(ProtoMapper.timestamp(a.createdAt()))
                .build();
    }

    @Override
    public void lockUser(LockUserRequest req, StreamObserver<LockUserResponse> out) {
        Unary.respond(out, () -> LockUserResponse.newBuilder()
                .setUser(user(users.setLocked(actor(), username(req.getName()), true))).build());
    }

    @Override
    public void unlockUser(UnlockUserRequest req, StreamObserver<UnlockUserResponse> out) {
        Unary.respond(out, () -> UnlockUserResponse.newBuilder()
                .setUser(user(users.setLocked(actor(), username(req.getName()), false))).build());
    }

    private static String actor() {
        return ProtoMapper.user(CallPrincipal.current().username());
    }

    /** "users/{username}" → username. */
    private static String username(String name) {
        if (name == null || !name.startsWith("users/") || name.length() == "users/".length()) {
            throw new DomainException.InvalidArgument("name", "must look like users/{username}");
        }
        return name.substring("users/".length());
    }

    @Override
    public void getKeyRotationStatus(GetKeyRotationStatusRequest req,
            StreamObserver<GetKeyRotationStatusResponse> out) {
        Unary.respond(out, () -> {
            KeyRotationStatus.Status st = keyStatus.status();
            return GetKeyRotationStatusResponse.newBuilder().setActiveKeyId(st.activeKeyId())
                    .addAllKeyIds(st.keyIds()).setRowsOnOldKeys(st.rowsOnOldKeys()).build();
        });
    }

    @Override
    public void queryAuditLog(QueryAuditLogRequest req, StreamObserver<QueryAuditLogResponse> out) {
        Unary.respond(out, () -> {
            int size = PageToken.pageSize(req.getPageSize(), maxPageSize);
            long after = longOffset(req.getPageToken());
            List<AuditLog.Entry> entries = sql(() -> audit.query(after, size + 1, req.getActor()));
            var b = QueryAuditLogResponse.newBuilder();
            entries.stream().limit(size).forEach(e -> b.addEntries(AuditEntry.newBuilder()
                    .setSequence(e.sequence()).setTime(ProtoMapper.timestamp(e.at())).setActor(e.actor())
                    .setAction(e.action()).setTarget(e.target()).setDetail(e.detail()).setHash(e.hash())));
            if (entries.size() > size) {
                b.setNextPageToken(Long.toString(entries.get(size - 1).sequence()));
            }
            return b.build();
        });
    }

    @Override
    public void verifyAuditLog(VerifyAuditLogRequest req, StreamObserver<VerifyAuditLogResponse> out) {
        Unary.respond(out, () -> {
            AuditLog.Verification v = sql(audit::verify);
            return VerifyAuditLogResponse.newBuilder().setIntact(v.intact()).setCheckedCount(v.checked())
                    .setFirstBrokenSequence(v.firstBrokenSequence()).build();
        });
    }

    private interface SqlCall<T> {
        T call() throws java.sql.SQLException;
    }

    private static <T> T sql(SqlCall<T> call) {
        try {
            return call.call();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("audit log query failed", e);
        }
    }

    @Override
    public void exportUserData(ExportUserDataRequest req, StreamObserver<ExportUserDataResponse> out) {
        Unary.notYetAvailable(out, "ExportUserData");
    }

    @Override
    public void eraseUserData(EraseUserDataRequest req, StreamObserver<EraseUserDataResponse> out) {
        Unary.notYetAvailable(out, "EraseUserData");
    }

    @Override
    public void runRetention(RunRetentionRequest req, StreamObserver<RunRetentionResponse> out) {
        Unary.respond(out, () -> {
            long purged = messages.purgeDeleted(messageRetention);
            audit.record(actor(), "retention.run", "messages", "purged " + purged
                    + " messages deleted more than " + messageRetention.toDays() + " days ago");
            return RunRetentionResponse.newBuilder().setPurgedMessages(purged).build();
        });
    }
}
