// The audit log's actions are one closed set (AUDIT_EVENTS in src/protocol/audit-events.ts), each
// named in words in both languages: an admin reads "Account disabled", not "user_disabled", and a new
// event added on the server without its words fails here.
import { expect, test } from "bun:test";
import { AUDIT_EVENTS } from "../../../src/protocol.ts";
import { en } from "../../../web/src/i18n/en.ts";
import { fr } from "../../../web/src/i18n/fr.ts";

const catalogues = { en: en as Record<string, string>, fr: fr as Record<string, string> };

for (const [locale, catalogue] of Object.entries(catalogues)) {
  test(`${locale}: every audit event has its words`, () => {
    const missing = AUDIT_EVENTS.filter((event) => typeof catalogue[`audit.event.${event}`] !== "string" || catalogue[`audit.event.${event}`]!.trim() === "");
    expect(missing).toEqual([]);
  });
}

test("no label is left over for an event the server no longer writes", () => {
  const known = new Set<string>(AUDIT_EVENTS);
  const stale = Object.keys(catalogues.en).filter((key) => key.startsWith("audit.event.") && !known.has(key.slice("audit.event.".length)));
  expect(stale).toEqual([]);
});

test("French says it in French", () => {
  const same = AUDIT_EVENTS.filter((event) => catalogues.fr[`audit.event.${event}`] === catalogues.en[`audit.event.${event}`]);
  expect(same).toEqual([]);
});
