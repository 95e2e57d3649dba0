-- Lockout after repeated failed logins: failures are counted in a window that starts at the
-- first failure; the fifth within five minutes locks the account until an admin unlocks it.
ALTER TABLE users
    ADD COLUMN failed_logins        integer     NOT NULL DEFAULT 0,
    ADD COLUMN failed_window_start  timestamptz,
    ADD COLUMN locked_at            timestamptz;
