// A second process that keeps committing messages (one durable transaction each) into a data
// directory, as a busy server would, until it is told to stop or reaches its bound.
// Usage: bun test/ops/write-load.ts DATA_DIR ROOM_ID USER_ID MAX_ROWS
import { databasePath } from "../../src/db/data-dir.ts";
import { openDatabase } from "../../src/db/sqlite/open.ts";

const [dataDir, roomId, userId, maxRows] = process.argv.slice(2);
const db = openDatabase(databasePath(dataDir!));
const insert = db.query("INSERT INTO messages (room_id, author_id, client_id, body, created_at) VALUES (?, ?, ?, ?, ?)");
let stop = false;
process.on("SIGTERM", () => (stop = true));
let written = 0;
const deadline = Date.now() + 60_000;
while (!stop && written < Number(maxRows) && Date.now() < deadline) {
  insert.run(Number(roomId), Number(userId), `load-${written}`, `load message ${written}`, Date.now());
  written++;
  // Yield now and then so SIGTERM is seen; the load stays continuous.
  if (written % 50 === 0) await Bun.sleep(1);
}
db.close();
process.stdout.write(`${written}\n`);
