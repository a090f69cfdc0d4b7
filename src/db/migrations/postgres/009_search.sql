-- Search (issue 13), as sqlite/009_search.sql with Postgres's own tools. One row per live message:
-- - doc: the message's body, then its file's name on a line of its own, lower-cased with diacritics
--   removed (unaccent); a pg_trgm GIN index finds substrings of 3 characters or more in it (partial
--   words, identifiers such as ERR_42 or a.b.c), like SQLite's trigram index;
-- - words: the same text cut into words at every character that is not a letter or digit (as SQLite's
--   unicode61 tokenizer cuts it), for whole words and phrases.
-- pg_trgm and unaccent ship with PostgreSQL (Debian: package postgresql) and are trusted extensions:
-- the database's owner may create them without being a superuser. Letters outside ASCII are letters
-- only when the database's LC_CTYPE is a UTF-8 locale (C.UTF-8, en_US.UTF-8...), not plain "C": the
-- README says so, and `vaultroom doctor` checks it.
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
  doc        TEXT NOT NULL,
  words      TSVECTOR NOT NULL
);
CREATE INDEX message_search_words ON message_search USING gin (words);
CREATE INDEX message_search_trigrams ON message_search USING gin (doc gin_trgm_ops);

-- (Re)indexes one message from what is stored now: its body and its file's name, or nothing once
-- it is deleted. Called by the triggers below in the transaction that writes the message or file.
CREATE FUNCTION vaultroom_search_reindex(target BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM message_search WHERE message_id = target;
  INSERT INTO message_search (message_id, doc, words)
    SELECT d.id, d.doc, vaultroom_search_words(d.doc)
      FROM (SELECT m.id, vaultroom_search_fold(m.body || coalesce(chr(10) || f.name, '')) AS doc
              FROM messages m LEFT JOIN files f ON f.message_id = m.id
             WHERE m.id = target AND m.deleted_at IS NULL) d;
END $$;

CREATE FUNCTION search_message_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM vaultroom_search_reindex(NEW.id);
  RETURN NEW;
END $$;
CREATE TRIGGER search_message_added AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION search_message_changed();
-- An edit replaces the indexed text; a deletion (the body is erased in place) removes it.
CREATE TRIGGER search_message_changed AFTER UPDATE OF body, deleted_at ON messages FOR EACH ROW EXECUTE FUNCTION search_message_changed();

-- A file added to a message, or removed from one that stays: index the message's text again.
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

-- Everything already stored, indexed once.
INSERT INTO message_search (message_id, doc, words)
  SELECT d.id, d.doc, vaultroom_search_words(d.doc)
    FROM (SELECT m.id, vaultroom_search_fold(m.body || coalesce(chr(10) || f.name, '')) AS doc
            FROM messages m LEFT JOIN files f ON f.message_id = m.id
           WHERE m.deleted_at IS NULL) d;
