// The closed set of refusals (ErrorCode in src/protocol.ts) is translated in full: every code the
// server can give has its own sentence in English and in French, so nobody reads the server's English
// fallback in a French interface. Adding a code to the protocol without translating it fails here.
import { expect, test } from "bun:test";
import { ERROR_CODES } from "../../../src/protocol.ts";
import { en } from "../../../web/src/i18n/en.ts";
import { fr } from "../../../web/src/i18n/fr.ts";

const catalogues = { en: en as Record<string, string>, fr: fr as Record<string, string> };

for (const [locale, catalogue] of Object.entries(catalogues)) {
  test(`${locale}: every error code the server can produce has a message`, () => {
    const missing = ERROR_CODES.filter((code) => typeof catalogue[`error.${code}`] !== "string" || catalogue[`error.${code}`]!.trim() === "");
    expect(missing).toEqual([]);
  });
}

test("French says it in French: no error message is left identical to the English one", () => {
  const same = ERROR_CODES.filter((code) => catalogues.fr[`error.${code}`] === catalogues.en[`error.${code}`]);
  expect(same).toEqual([]);
});
