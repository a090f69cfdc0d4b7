// The recovery codes as a file to keep (issue 19): found months later in a Downloads folder, ten bare
// codes said neither where nor for whom they work. The file opens with the server (its name and
// address), the account and when the codes were made; a newer set replaces them, so the date matters.
import { formatDateTime, t } from "../i18n/index.ts";

export interface RecoveryFile {
  codes: string[];
  /** The server's name, or VaultRoom. */
  server: string;
  /** Where it is reached: https://chat.example.org */
  origin: string;
  /** "Alice (@alice)" */
  account: string;
  username: string;
  madeAt: number;
}

export function recoveryFileText(file: RecoveryFile): string {
  return [
    t("recovery.fileTitle"),
    t("recovery.fileServer", { server: file.server, origin: file.origin }),
    t("recovery.fileAccount", { account: file.account }),
    t("recovery.fileMade", { time: formatDateTime(file.madeAt) }),
    "",
    t("recovery.fileHint"),
    "",
    ...file.codes,
    "",
  ].join("\n");
}

/** A name that sorts and reads well in a Downloads folder, with only characters every system accepts. */
export function recoveryFileName(file: Pick<RecoveryFile, "origin" | "username">): string {
  const host = new URL(file.origin).host.replace(/[^A-Za-z0-9.-]+/g, "-");
  return `vaultroom-recovery-codes-${file.username.replace(/[^\p{L}\p{N}._-]+/gu, "-")}-${host}.txt`;
}
