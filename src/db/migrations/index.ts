// Migrations are embedded in the binary as text. Forward-only: never edit one that has landed;
// add the next number instead.
import accounts from "./001_accounts.sql" with { type: "text" };
import chat from "./002_chat.sql" with { type: "text" };
import files from "./003_files.sql" with { type: "text" };
import skeletonFold from "./004_skeleton_fold.sql" with { type: "text" };

export interface Migration {
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { name: "001_accounts", sql: accounts },
  { name: "002_chat", sql: chat },
  { name: "003_files", sql: files },
  { name: "004_skeleton_fold", sql: skeletonFold },
];
