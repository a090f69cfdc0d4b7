-- Search (issue 13). Two FTS5 indexes over every live message, rowid = messages.id, each with two
-- columns: doc (the body, then the file's name on a line of its own) and meta (" a<author> r<room>"
-- and " file" / " link" when it has them, so that from:, in: and has: are index look-ups too):
-- - search_words: unicode61 with diacritics folded ("ete" finds "été"): whole words and phrases;
-- - search_trigrams: every 3-character run, folded the same way: substrings of 3 characters or more
--   (partial words, identifiers such as ERR_42 or a.b.c).
-- Both are contentless (content=''): the index only, never a second copy of the text;
-- contentless_delete=1 lets a row's entries be deleted.
--
-- search_state.indexed_upto: every message with an id up to it is indexed as it is now. Posting
-- does not touch the indexes (tokenizing a message costs several times what storing it does: the
-- write path stays as fast as before); search/indexer.ts indexes new messages shortly after, and a
-- search reads the few not indexed yet from the messages themselves. Edits, deletions and file
-- changes of indexed messages are applied by the triggers below, in the transaction that makes them,
-- whichever code path does (the chat, an admin, a table copy between engines). A deleted account's
-- messages are untouched by the deletion: they stay searchable, shown as "deleted user".
CREATE VIRTUAL TABLE search_words USING fts5 (doc, meta, tokenize = 'unicode61 remove_diacritics 2', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE search_trigrams USING fts5 (doc, meta, tokenize = 'trigram remove_diacritics 1', content = '', contentless_delete = 1);

CREATE TABLE search_state (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_upto INTEGER NOT NULL
) STRICT;
INSERT INTO search_state (id, indexed_upto) VALUES (1, (SELECT coalesce(max(id), 0) FROM messages));

-- What the indexes hold for each live message, in one place for the triggers, the indexer and the
-- fill below. A link is what the web client links: http://, https:// or mailto:.
CREATE VIEW search_source AS
  SELECT m.id,
         m.body || coalesce(char(10) || f.name, '') AS doc,
         ' a' || m.author_id || ' r' || m.room_id
           || CASE WHEN f.id IS NULL THEN '' ELSE ' file' END
           || CASE WHEN m.body LIKE '%http://%' OR m.body LIKE '%https://%' OR m.body LIKE '%mailto:%' THEN ' link' ELSE '' END
           || ' ' AS meta
    FROM messages m LEFT JOIN files f ON f.message_id = m.id
   WHERE m.deleted_at IS NULL;

-- An edit replaces the indexed text; a deletion (the body is erased in place) removes it.
CREATE TRIGGER search_message_changed AFTER UPDATE OF body, deleted_at ON messages
WHEN OLD.id <= (SELECT indexed_upto FROM search_state) BEGIN
  DELETE FROM search_words WHERE rowid = OLD.id;
  DELETE FROM search_trigrams WHERE rowid = OLD.id;
  INSERT INTO search_words (rowid, doc, meta) SELECT id, doc, meta FROM search_source WHERE id = NEW.id;
  INSERT INTO search_trigrams (rowid, doc, meta) SELECT id, doc, meta FROM search_source WHERE id = NEW.id;
END;

-- Messages are erased in place, not removed, but a room's removal cascades to its messages.
CREATE TRIGGER search_message_removed AFTER DELETE ON messages
WHEN OLD.id <= (SELECT indexed_upto FROM search_state) BEGIN
  DELETE FROM search_words WHERE rowid = OLD.id;
  DELETE FROM search_trigrams WHERE rowid = OLD.id;
END;

-- A file removed from a message that stays (an admin deleting the file), or added to one already
-- indexed: the message is indexed again, with or without the name.
CREATE TRIGGER search_file_added AFTER INSERT ON files
WHEN NEW.message_id <= (SELECT indexed_upto FROM search_state) BEGIN
  DELETE FROM search_words WHERE rowid = NEW.message_id;
  DELETE FROM search_trigrams WHERE rowid = NEW.message_id;
  INSERT INTO search_words (rowid, doc, meta) SELECT id, doc, meta FROM search_source WHERE id = NEW.message_id;
  INSERT INTO search_trigrams (rowid, doc, meta) SELECT id, doc, meta FROM search_source WHERE id = NEW.message_id;
END;

CREATE TRIGGER search_file_removed AFTER DELETE ON files
WHEN OLD.message_id <= (SELECT indexed_upto FROM search_state) BEGIN
  DELETE FROM search_words WHERE rowid = OLD.message_id;
  DELETE FROM search_trigrams WHERE rowid = OLD.message_id;
  INSERT INTO search_words (rowid, doc, meta) SELECT id, doc, meta FROM search_source WHERE id = OLD.message_id;
  INSERT INTO search_trigrams (rowid, doc, meta) SELECT id, doc, meta FROM search_source WHERE id = OLD.message_id;
END;

-- Everything already stored, indexed now, in id order (FTS5 appends best in rowid order).
INSERT INTO search_words (rowid, doc, meta) SELECT id, doc, meta FROM search_source ORDER BY id;
INSERT INTO search_trigrams (rowid, doc, meta) SELECT id, doc, meta FROM search_source ORDER BY id;
-- One b-tree per index instead of the many segments a bulk fill leaves.
INSERT INTO search_words (search_words) VALUES ('optimize');
INSERT INTO search_trigrams (search_trigrams) VALUES ('optimize');
