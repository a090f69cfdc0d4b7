-- Search (issue 13). Two FTS5 indexes over the text of every live message (its body, then its file's
-- name on a line of its own), rowid = messages.id:
-- - search_words: unicode61 with diacritics folded ("ete" finds "été"): whole words and phrases;
-- - search_trigrams: every 3-character run, case and diacritics folded the same way: substrings of
--   3 characters or more (partial words, identifiers such as ERR_42 or a.b.c).
-- Both are contentless (content=''): they hold the index only, never a second copy of the text, and
-- contentless_delete=1 lets a row's entries be deleted. The triggers below keep them in step inside
-- the transaction that writes, edits or deletes a message or its file, whichever code path does it
-- (the chat, an account deletion, a table copy from another engine). A deleted account's messages are
-- untouched by the deletion, so they stay searchable, shown as "deleted user" like everywhere else.
CREATE VIRTUAL TABLE search_words USING fts5 (doc, tokenize = 'unicode61 remove_diacritics 2', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE search_trigrams USING fts5 (doc, tokenize = 'trigram remove_diacritics 1', content = '', contentless_delete = 1);

-- A message's file row is written after the message in the same transaction: the message is indexed
-- with its body first, then again with the file's name once the file row exists.
CREATE TRIGGER search_message_added AFTER INSERT ON messages WHEN NEW.deleted_at IS NULL BEGIN
  INSERT INTO search_words (rowid, doc) VALUES (NEW.id, NEW.body);
  INSERT INTO search_trigrams (rowid, doc) VALUES (NEW.id, NEW.body);
END;

-- An edit replaces the indexed text; a deletion (the body is erased in place) removes it.
CREATE TRIGGER search_message_changed AFTER UPDATE OF body, deleted_at ON messages BEGIN
  DELETE FROM search_words WHERE rowid = OLD.id;
  DELETE FROM search_trigrams WHERE rowid = OLD.id;
  INSERT INTO search_words (rowid, doc)
    SELECT NEW.id, NEW.body || coalesce(char(10) || (SELECT name FROM files WHERE message_id = NEW.id), '') WHERE NEW.deleted_at IS NULL;
  INSERT INTO search_trigrams (rowid, doc)
    SELECT NEW.id, NEW.body || coalesce(char(10) || (SELECT name FROM files WHERE message_id = NEW.id), '') WHERE NEW.deleted_at IS NULL;
END;

-- Messages are erased in place, not removed, but a room's removal cascades to its messages.
CREATE TRIGGER search_message_removed AFTER DELETE ON messages BEGIN
  DELETE FROM search_words WHERE rowid = OLD.id;
  DELETE FROM search_trigrams WHERE rowid = OLD.id;
END;

-- A file added to a message, or removed from one that stays (an admin deleting the file): the
-- message's text is indexed again, with or without the name.
CREATE TRIGGER search_file_added AFTER INSERT ON files BEGIN
  DELETE FROM search_words WHERE rowid = NEW.message_id;
  DELETE FROM search_trigrams WHERE rowid = NEW.message_id;
  INSERT INTO search_words (rowid, doc)
    SELECT id, body || char(10) || NEW.name FROM messages WHERE id = NEW.message_id AND deleted_at IS NULL;
  INSERT INTO search_trigrams (rowid, doc)
    SELECT id, body || char(10) || NEW.name FROM messages WHERE id = NEW.message_id AND deleted_at IS NULL;
END;

CREATE TRIGGER search_file_removed AFTER DELETE ON files BEGIN
  DELETE FROM search_words WHERE rowid = OLD.message_id;
  DELETE FROM search_trigrams WHERE rowid = OLD.message_id;
  INSERT INTO search_words (rowid, doc) SELECT id, body FROM messages WHERE id = OLD.message_id AND deleted_at IS NULL;
  INSERT INTO search_trigrams (rowid, doc) SELECT id, body FROM messages WHERE id = OLD.message_id AND deleted_at IS NULL;
END;

-- Everything already stored, indexed once, in id order (FTS5 appends best in rowid order).
INSERT INTO search_words (rowid, doc)
  SELECT m.id, m.body || coalesce(char(10) || f.name, '') FROM messages m LEFT JOIN files f ON f.message_id = m.id
   WHERE m.deleted_at IS NULL ORDER BY m.id;
INSERT INTO search_trigrams (rowid, doc)
  SELECT m.id, m.body || coalesce(char(10) || f.name, '') FROM messages m LEFT JOIN files f ON f.message_id = m.id
   WHERE m.deleted_at IS NULL ORDER BY m.id;
-- One b-tree per index instead of the many segments a bulk fill leaves.
INSERT INTO search_words (search_words) VALUES ('optimize');
INSERT INTO search_trigrams (search_trigrams) VALUES ('optimize');
