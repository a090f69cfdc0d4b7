// An audit entry in words (issue 19): what it is about by name ("@alice", "#general", "message #340 in
// #general"; "user #12" once gone) rather than the stored reference, and for a retention change what
// it changed from and to.
import type { AuditAbout, AuditEntry } from "../api/types.ts";
import { t, tn } from "../i18n/index.ts";

export function aboutText(entry: Pick<AuditEntry, "target" | "about">): string {
  const about = entry.about;
  if (!about) return entry.target ?? "—";
  return describe(about);
}

function describe(about: AuditAbout): string {
  switch (about.kind) {
    case "user":
      return about.name ? `@${about.name}` : t("audit.about.user", { id: about.id });
    case "room":
      if (about.name) return `#${about.name}`;
      return about.dm ? t("audit.about.dm", { id: about.id }) : t("audit.about.room", { id: about.id });
    case "message":
      if (about.roomName) return t("audit.about.messageIn", { id: about.id, room: `#${about.roomName}` });
      return about.dm ? t("audit.about.messageInDm", { id: about.id }) : t("audit.about.message", { id: about.id });
  }
}

type Detail = NonNullable<AuditEntry["detail"]>;

/** The limits a retention change set, with what they were, e.g. "Messages: 90 days → 30 days". */
export function retentionChange(detail: Detail): string[] {
  const days = (value: unknown) => (typeof value === "number" ? tn("audit.days", value) : t("audit.forever"));
  const hours = (value: unknown) => (typeof value === "number" ? tn("audit.hours", value) : t("audit.off"));
  const pairs: [string, keyof Detail, keyof Detail, (value: unknown) => string][] = [
    [t("audit.retention.messages"), "messageDays", "previousMessageDays", days],
    [t("audit.retention.files"), "fileDays", "previousFileDays", days],
    [t("audit.retention.messages"), "retentionDays", "previousRetentionDays", days],
    [t("audit.retention.disappearing"), "disappearHours", "previousDisappearHours", hours],
  ];
  // Entries recorded before the previous values were (no "previous…" key) show the new value alone;
  // a limit that stayed the same is left out.
  return pairs
    .filter(([, now, before]) => now in detail && !(before in detail && detail[before] === detail[now]))
    .map(([label, now, before, text]) =>
      before in detail ? t("audit.retention.change", { what: label, from: text(detail[before]), to: text(detail[now]) }) : t("audit.retention.set", { what: label, to: text(detail[now]) }),
    );
}
