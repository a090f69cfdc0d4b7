// The recovery codes' file says where and for whom they work (issue 19), in the interface language,
// under a name any system accepts.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Window } from "happy-dom";
import { setLocale } from "../../../web/src/i18n/index.ts";
import { recoveryFileName, recoveryFileText } from "../../../web/src/dashboard/recovery-file.ts";

const global = globalThis as { document?: Document };
const previous = global.document;
beforeAll(() => {
  global.document = new Window().document as unknown as Document;
});
afterAll(() => {
  setLocale("en");
  global.document = previous;
});

const file = { codes: ["aaaa-bbbb", "cccc-dddd"], server: "Acme Chat", origin: "https://chat.example.org:8443", account: "Élodie (@élodie)", username: "élodie", madeAt: Date.UTC(2026, 11, 1, 9, 30) };

test("the file opens with the server, its address, the account and the date, then the codes", () => {
  setLocale("en");
  const lines = recoveryFileText(file).split("\n");
  expect(lines.slice(0, 3)).toEqual(["VaultRoom recovery codes", "Server: Acme Chat (https://chat.example.org:8443)", "Account: Élodie (@élodie)"]);
  expect(lines[3]).toStartWith("Made: Dec 1, 2026");
  expect(lines.slice(-3)).toEqual(["aaaa-bbbb", "cccc-dddd", ""]);
  setLocale("fr");
  expect(recoveryFileText(file)).toContain("Serveur\u00a0: Acme Chat (https://chat.example.org:8443)\nCompte\u00a0: Élodie (@élodie)\nCréés le 1er déc. 2026");
});

test("its name says whose and which server's, without a colon or slash", () => {
  expect(recoveryFileName(file)).toBe("vaultroom-recovery-codes-élodie-chat.example.org-8443.txt");
  expect(recoveryFileName({ origin: "https://[::1]:8443", username: "a/b" })).not.toMatch(/[:/\\[\]]/);
});
