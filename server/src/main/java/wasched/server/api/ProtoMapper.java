package wasched.server.api;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import wasched.server.ResourceNames;
import wasched.server.recipient.RecipientView;
import wasched.server.schedule.MessageView;
import wasched.server.security.Role;
import wasched.v1.Message;
import wasched.v1.MessageState;
import wasched.v1.Recipient;

/** Explicit mapping between domain views and proto messages. */
final class ProtoMapper {
    private ProtoMapper() {}

    static Timestamp timestamp(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    /** Null for an unset timestamp; rejects values outside the proto's valid range. */
    static Instant instant(Timestamp t, boolean present, String field) {
        if (!present) {
            return null;
        }
        if (t.getNanos() < 0 || t.getNanos() > 999_999_999 || t.getSeconds() < -62135596800L
                || t.getSeconds() > 253402300799L) {
            throw new wasched.server.DomainException.InvalidArgument(field, "not a valid timestamp");
        }
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    static String user(String username) {
        return "users/" + username;
    }

    static Recipient recipient(RecipientView r) {
        return Recipient.newBuilder()
                .setName(ResourceNames.format("recipients", r.id()))
                .setPhoneNumber(r.phoneE164())
                .setDisplayName(r.displayName())
                .setOptedOut(r.optedOut())
                .setOwner(user(r.ownerUsername()))
                .setCreateTime(timestamp(r.createdAt()))
                .setUpdateTime(timestamp(r.updatedAt()))
                .build();
    }

    static Message message(MessageView m) {
        Message.Builder b = Message.newBuilder()
                .setName(ResourceNames.format("messages", m.id()))
                .setRecipient(ResourceNames.format("recipients", m.recipientId()))
                .setBody(m.body())
                .setSendTime(timestamp(m.sendAt()))
                .setTimeZone(m.timeZone())
                .setLocalSendTime(m.sendAt().atZone(ZoneId.of(m.timeZone())).toLocalDateTime().toString())
                .setState(MessageState.valueOf("MESSAGE_STATE_" + m.state()))
                .setAttemptCount(m.attemptCount())
                .setOwner(user(m.ownerUsername()))
                .setCreateTime(timestamp(m.createdAt()))
                .setUpdateTime(timestamp(m.updatedAt()));
        if (m.providerMessageId() != null) {
            b.setProviderMessageId(m.providerMessageId());
        }
        if (m.lastError() != null) {
            b.setLastError(m.lastError());
        }
        return b.build();
    }

    static String state(MessageState s) {
        return switch (s) {
            case MESSAGE_STATE_UNSPECIFIED -> null;
            case UNRECOGNIZED -> throw new wasched.server.DomainException.InvalidArgument("state", "unknown state");
            default -> s.name().substring("MESSAGE_STATE_".length());
        };
    }

    static wasched.v1.Role role(Role r) {
        return wasched.v1.Role.valueOf("ROLE_" + r.name());
    }

    static Role role(wasched.v1.Role r) {
        return switch (r) {
            case ROLE_ADMIN -> Role.ADMIN;
            case ROLE_USER -> Role.USER;
            case ROLE_VIEWER -> Role.VIEWER;
            default -> null;
        };
    }
}
