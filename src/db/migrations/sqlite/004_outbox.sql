-- Nothing here: the embedded engine delivers announcements in-process, so it has no outbox
-- (postgres/004_outbox.sql). The number is kept so that versions mean the same in both engines.
SELECT 1;
