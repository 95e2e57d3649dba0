-- Deleted messages disappear from the API at once and are purged for good by retention
-- (RunRetention) once deleted_at is older than the retention period (90 days by default).
ALTER TABLE messages ADD COLUMN deleted_at timestamptz;
CREATE INDEX messages_deleted ON messages (deleted_at) WHERE deleted_at IS NOT NULL;
