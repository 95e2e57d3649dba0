-- wasched initial schema. Phone numbers, names and bodies are stored only as
-- AES-256-GCM ciphertext ("<key id>:<base64url>"); phone lookups use a keyed
-- blind index (HMAC), never the plaintext.

CREATE TABLE users (
    id             uuid PRIMARY KEY,
    username       text        NOT NULL UNIQUE,
    password_hash  text        NOT NULL,
    role           text        NOT NULL CHECK (role IN ('ADMIN', 'USER', 'VIEWER')),
    locked         boolean     NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL,
    version        bigint      NOT NULL DEFAULT 0
);

CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    token_hash  text        NOT NULL UNIQUE,
    family_id   uuid        NOT NULL,
    user_id     uuid        NOT NULL REFERENCES users (id),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE recipients (
    id           uuid PRIMARY KEY,
    owner_id     uuid        NOT NULL REFERENCES users (id),
    phone_ct     text        NOT NULL,
    phone_index  text        NOT NULL,
    name_ct      text        NOT NULL,
    opted_out    boolean     NOT NULL DEFAULT false,
    request_id   text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      bigint      NOT NULL DEFAULT 0,
    CONSTRAINT recipients_owner_phone UNIQUE (owner_id, phone_index),
    CONSTRAINT recipients_owner_request UNIQUE (owner_id, request_id)
);
CREATE INDEX recipients_owner_page ON recipients (owner_id, created_at, id);

CREATE TABLE messages (
    id                   uuid PRIMARY KEY,
    owner_id             uuid        NOT NULL REFERENCES users (id),
    recipient_id         uuid        NOT NULL REFERENCES recipients (id),
    body_ct              text        NOT NULL,
    send_at              timestamptz NOT NULL,
    time_zone            text        NOT NULL,
    state                text        NOT NULL CHECK (state IN
                           ('SCHEDULED', 'SENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'CANCELLED')),
    next_attempt_at      timestamptz NOT NULL,
    attempt_count        integer     NOT NULL DEFAULT 0,
    lease_owner          text,
    lease_expires_at     timestamptz,
    provider_message_id  text UNIQUE,
    last_error           text,
    request_id           text,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    version              bigint      NOT NULL DEFAULT 0,
    CONSTRAINT messages_owner_request UNIQUE (owner_id, request_id)
);
-- The dispatcher's two claim paths: due scheduled work, and expired leases.
CREATE INDEX messages_due ON messages (next_attempt_at) WHERE state = 'SCHEDULED';
CREATE INDEX messages_expired_lease ON messages (lease_expires_at) WHERE state = 'SENDING';
CREATE INDEX messages_owner_page ON messages (owner_id, created_at, id);
CREATE INDEX messages_page ON messages (created_at, id);

-- Every state change of a message, in order.
CREATE TABLE message_transitions (
    id          bigserial PRIMARY KEY,
    message_id  uuid        NOT NULL REFERENCES messages (id),
    from_state  text,
    to_state    text        NOT NULL,
    at          timestamptz NOT NULL,
    actor       text        NOT NULL,
    detail      text
);
CREATE INDEX message_transitions_message ON message_transitions (message_id, id);
