// Migrations for both engines, embedded in the binary as text. Numbered the same in both folders:
// version N means the same schema whichever engine holds it. Forward-only: never edit one that has
// landed; add the next number to both folders (a migration one engine does not need is a comment).
import sqlite001 from "./sqlite/001_accounts.sql" with { type: "text" };
import sqlite002 from "./sqlite/002_chat.sql" with { type: "text" };
import sqlite003 from "./sqlite/003_files.sql" with { type: "text" };
import sqlite004 from "./sqlite/004_outbox.sql" with { type: "text" };
import sqlite005 from "./sqlite/005_change_seq_index.sql" with { type: "text" };
import postgres001 from "./postgres/001_accounts.sql" with { type: "text" };
import postgres002 from "./postgres/002_chat.sql" with { type: "text" };
import postgres003 from "./postgres/003_files.sql" with { type: "text" };
import postgres004 from "./postgres/004_outbox.sql" with { type: "text" };
import postgres005 from "./postgres/005_change_seq_index.sql" with { type: "text" };
import sqlite006 from "./sqlite/006_skeleton_fold.sql" with { type: "text" };
import postgres006 from "./postgres/006_skeleton_fold.sql" with { type: "text" };
import sqlite007 from "./sqlite/007_conversations.sql" with { type: "text" };
import postgres007 from "./postgres/007_conversations.sql" with { type: "text" };
import sqlite008 from "./sqlite/008_notifications.sql" with { type: "text" };
import postgres008 from "./postgres/008_notifications.sql" with { type: "text" };
import sqlite009 from "./sqlite/009_search.sql" with { type: "text" };
import postgres009 from "./postgres/009_search.sql" with { type: "text" };
import sqlite010 from "./sqlite/010_account_security.sql" with { type: "text" };
import postgres010 from "./postgres/010_account_security.sql" with { type: "text" };
import sqlite011 from "./sqlite/011_operations.sql" with { type: "text" };
import postgres011 from "./postgres/011_operations.sql" with { type: "text" };
import sqlite012 from "./sqlite/012_consent_and_setup.sql" with { type: "text" };
import postgres012 from "./postgres/012_consent_and_setup.sql" with { type: "text" };

export interface Migration {
  name: string;
  sqlite: string;
  postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { name: "001_accounts", sqlite: sqlite001, postgres: postgres001 },
  { name: "002_chat", sqlite: sqlite002, postgres: postgres002 },
  { name: "003_files", sqlite: sqlite003, postgres: postgres003 },
  { name: "004_outbox", sqlite: sqlite004, postgres: postgres004 },
  { name: "005_change_seq_index", sqlite: sqlite005, postgres: postgres005 },
  { name: "006_skeleton_fold", sqlite: sqlite006, postgres: postgres006 },
  { name: "007_conversations", sqlite: sqlite007, postgres: postgres007 },
  { name: "008_notifications", sqlite: sqlite008, postgres: postgres008 },
  { name: "009_search", sqlite: sqlite009, postgres: postgres009 },
  { name: "010_account_security", sqlite: sqlite010, postgres: postgres010 },
  { name: "011_operations", sqlite: sqlite011, postgres: postgres011 },
  { name: "012_consent_and_setup", sqlite: sqlite012, postgres: postgres012 },
];

export const LATEST_SCHEMA = MIGRATIONS.length;

export class SchemaTooNewError extends Error {
  constructor(found: number, known: number) {
    super(
      `the database has schema version ${found} but this VaultRoom knows only up to ${known}: ` +
        `it was written by a newer VaultRoom; run that version or restore a backup`,
    );
  }
}
