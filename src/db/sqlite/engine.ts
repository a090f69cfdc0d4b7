// How the embedded engine runs one write transaction on its writer connection: BEGIN IMMEDIATE, the
// batch's commands, COMMIT with synchronous=FULL (on disk before anyone hears back).
import type { EngineHooks } from "../batch.ts";
import { SqliteConn } from "./connection.ts";
import type { Database } from "./open.ts";

export function sqliteEngine(db: Database): EngineHooks {
  const writer = new SqliteConn(db);
  return {
    async transaction(work) {
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = await work(writer);
        db.exec("COMMIT");
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw error;
      }
    },
  };
}
