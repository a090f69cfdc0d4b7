-- Display names get a confusable skeleton too, so a display name cannot look like another person's
-- username or display name (issue 21, §6). Not unique: existing data may already hold look-alikes,
-- which the web client disambiguates with @username. SQL cannot compute a skeleton: the column is
-- filled, and the username skeletons recomputed with combining marks folded, by
-- src/accounts/name-skeletons.ts when a server or CLI first opens the database.
ALTER TABLE users ADD COLUMN display_skeleton TEXT;
CREATE INDEX users_by_display_skeleton ON users (display_skeleton);
