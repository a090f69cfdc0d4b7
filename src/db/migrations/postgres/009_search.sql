-- Search (issue 13), as sqlite/009_search.sql with Postgres's own tools. One row per indexed message:
-- - doc: the message's body, then its file's name on a line of its own, lower-cased with diacritics
--   removed (unaccent); a pg_trgm GIN index finds substrings of 3 characters or more in it (partial
--   words, identifiers such as ERR_42 or a.b.c), like SQLite's trigram index;
-- - words: the same text cut into words at every character that is not a letter or digit (as SQLite's
--   unicode61 tokenizer cuts it), for whole words and phrases;
-- - room_id, author_id, has_file, has_link: the filters (from:, in:, has:).
-- pg_trgm and unaccent ship with PostgreSQL (Debian: package postgresql) and are trusted extensions:
-- the database's owner may create them without being a superuser. Letters outside ASCII are letters
-- only when the database's LC_CTYPE is a UTF-8 locale (C.UTF-8, en_US.UTF-8...), not plain "C": the
-- README says so, and `vaultroom doctor` checks it.
--
-- search_state.indexed_upto, the indexer and the triggers work as on SQLite: posting does not touch
-- the index; edits, deletions and file changes of indexed messages are applied in their transaction.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The one folding both the index and every query use. search_path is pinned to the schema the
-- extensions were found in now, so the dictionary resolves the same way in a trigger or a query.
CREATE FUNCTION vaultroom_search_fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path FROM CURRENT
  AS $$ SELECT lower(unaccent('unaccent'::regdictionary, $1)) $$;

CREATE FUNCTION vaultroom_search_words(text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT to_tsvector('pg_catalog.simple', regexp_replace($1, '[^[:alnum:]]+', ' ', 'g')) $$;

-- What a query term becomes, folded exactly as the index was: a LIKE pattern for a substring (its
-- wildcards escaped: a typed % or _ is a character like any other) and a phrase of whole words.
CREATE FUNCTION vaultroom_search_pattern(text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT '%' || replace(replace(replace(vaultroom_search_fold($1), '\', '\\'), '%', '\%'), '_', '\_') || '%' $$;

CREATE FUNCTION vaultroom_search_phrase(text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT phraseto_tsquery('pg_catalog.simple', regexp_replace(vaultroom_search_fold($1), '[^[:alnum:]]+', ' ', 'g')) $$;

-- tsquery has no AND aggregate: several word terms are combined in SQL from one array parameter.
CREATE AGGREGATE vaultroom_tsquery_and (tsquery) (SFUNC = tsquery_and, STYPE = tsquery);
CREATE AGGREGATE vaultroom_tsquery_or (tsquery) (SFUNC = tsquery_or, STYPE = tsquery);

CREATE TABLE message_search (
  message_id BIGINT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  room_id    BIGINT NOT NULL,
  author_id  BIGINT NOT NULL,
  has_file   INTEGER NOT NULL,
  has_link   INTEGER NOT NULL,
  doc        TEXT NOT NULL,
  words      TSVECTOR NOT NULL
);
CREATE INDEX message_search_words ON message_search USING gin (words);
CREATE INDEX message_search_trigrams ON message_search USING gin (doc gin_trgm_ops);
CREATE INDEX message_search_by_author ON message_search (author_id, message_id);

CREATE TABLE search_state (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_upto BIGINT NOT NULL
);
INSERT INTO search_state (id, indexed_upto) VALUES (1, (SELECT coalesce(max(id), 0) FROM messages));

-- What the index holds for each live message, for the triggers, the indexer and the fill below.
CREATE VIEW search_source AS
  SELECT m.id, m.room_id, m.author_id,
         CASE WHEN f.id IS NULL THEN 0 ELSE 1 END AS has_file,
         CASE WHEN m.body ILIKE '%http://%' OR m.body ILIKE '%https://%' OR m.body ILIKE '%mailto:%' THEN 1 ELSE 0 END AS has_link,
         vaultroom_search_fold(m.body || coalesce(chr(10) || f.name, '')) AS doc
    FROM messages m LEFT JOIN files f ON f.message_id = m.id
   WHERE m.deleted_at IS NULL;

-- (Re)indexes one indexed message from what is stored now, or drops it once deleted.
CREATE FUNCTION vaultroom_search_reindex(target BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF target > (SELECT indexed_upto FROM search_state) THEN
    RETURN; -- not indexed yet: the indexer will take it as it is then
  END IF;
  DELETE FROM message_search WHERE message_id = target;
  INSERT INTO message_search (message_id, room_id, author_id, has_file, has_link, doc, words)
    SELECT id, room_id, author_id, has_file, has_link, doc, vaultroom_search_words(doc) FROM search_source WHERE id = target;
END $$;

CREATE FUNCTION search_message_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM vaultroom_search_reindex(NEW.id);
  RETURN NEW;
END $$;
-- An edit replaces the indexed text; a deletion (the body is erased in place) removes it.
CREATE TRIGGER search_message_changed AFTER UPDATE OF body, deleted_at ON messages FOR EACH ROW EXECUTE FUNCTION search_message_changed();

-- A file removed from a message that stays (an admin deleting it), or added to an indexed one.
CREATE FUNCTION search_file_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM vaultroom_search_reindex(OLD.message_id);
    RETURN OLD;
  END IF;
  PERFORM vaultroom_search_reindex(NEW.message_id);
  RETURN NEW;
END $$;
CREATE TRIGGER search_file_changed AFTER INSERT OR DELETE ON files FOR EACH ROW EXECUTE FUNCTION search_file_changed();

-- Everything already stored, indexed now.
INSERT INTO message_search (message_id, room_id, author_id, has_file, has_link, doc, words)
  SELECT id, room_id, author_id, has_file, has_link, doc, vaultroom_search_words(doc) FROM search_source;
