-- The cluster's outbox: every committed write batch stores what it announced (JSON), numbered from
-- a sequence drawn under the cluster-wide write lock, so numbers follow commit order. Nodes deliver
-- batches in that order: live from Redis, or read back from here after a gap (a restart, Redis
-- down, a deaf subscriber). Rows older than a few minutes are pruned.
CREATE SEQUENCE events_seq;
CREATE TABLE events (
  seq  BIGINT PRIMARY KEY,
  body TEXT NOT NULL,
  at   BIGINT NOT NULL
);
CREATE INDEX events_by_time ON events (at);
