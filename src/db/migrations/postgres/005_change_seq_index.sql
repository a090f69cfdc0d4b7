-- The newest change number (edits and deletions) in one index probe: it is read for every `ready`
-- and every edit, and a scan of all changed messages grew with them.
CREATE INDEX messages_by_seq ON messages (updated_seq) WHERE updated_seq IS NOT NULL;
