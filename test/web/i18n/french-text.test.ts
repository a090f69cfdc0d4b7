// French as a reader expects it (issue 19 §15): "de" elides before a vowel or a mute h ("Message
// d’Alice"), a time reads the same in a message's text and in its tooltip, and English keeps its own
// typography (no space before "%").
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Window } from "happy-dom";
import { en } from "../../../web/src/i18n/en.ts";
import { elide } from "../../../web/src/i18n/elision.ts";
import { formatDate, formatDateTime, formatDay, formatTime, setLocale, t } from "../../../web/src/i18n/index.ts";

const global = globalThis as { document?: Document };
const previous = global.document;
beforeAll(() => {
  global.document = new Window().document as unknown as Document;
});
afterAll(() => {
  setLocale("en");
  global.document = previous;
});

describe("French elision", () => {
  test("de becomes d’ before a name starting with a vowel or a mute h, accented or not", () => {
    expect(elide("Message de {name}", { name: "Alice" })).toBe("Message d’{name}");
    expect(elide("Message de {name}", { name: "Émile" })).toBe("Message d’{name}");
    expect(elide("Message de {name}", { name: "Hélène" })).toBe("Message d’{name}");
    expect(elide("Message de {name}", { name: "Yves" })).toBe("Message d’{name}");
  });

  test("de stays before a consonant, a consonant y, a symbol or a number", () => {
    for (const name of ["Bob", "Yann", "@alice", "42", "#général"]) expect(elide("Message de {name}", { name })).toBe("Message de {name}");
  });

  test("the French catalogue says it through t()", () => {
    setLocale("fr");
    expect(t("chat.messageFrom", { name: "Alice", time: "08:05" })).toBe("Message d’Alice à 08:05");
    expect(t("chat.messageFrom", { name: "Bob", time: "08:05" })).toBe("Message de Bob à 08:05");
    // The Users table's reset dialog, titled by the person's name (issue 19).
    expect(t("users.confirm.reset", { name: "Alice" })).toMatch(/^Réinitialiser le mot de passe d’Alice\s\?$/);
    expect(t("users.label.reset", { name: "Bob (@bob)" })).toBe("Réinitialiser le mot de passe de Bob (@bob)");
    setLocale("en");
    expect(t("chat.messageFrom", { name: "Alice", time: "8:05 AM" })).toBe("Message from Alice at 8:05 AM");
  });
});

describe("times", () => {
  test("French writes the first of the month as an ordinal, every other day as a number", () => {
    setLocale("fr");
    const first = Date.UTC(2026, 11, 1, 12);
    const second = Date.UTC(2026, 11, 2, 12);
    expect(formatDate(first)).toBe("1er décembre 2026");
    expect(formatDate(second)).toBe("2 décembre 2026");
    expect(formatDateTime(first)).toStartWith("1er déc. 2026");
    expect(formatDay(first, Date.UTC(2027, 0, 15))).toBe("mardi 1er décembre 2026");
    // Not 11 or 21: only the day whose value is 1.
    expect(formatDate(Date.UTC(2026, 11, 11, 12))).toBe("11 décembre 2026");
    setLocale("en");
    expect(formatDate(first)).toBe("December 1, 2026");
  });

  test("a message's time reads the same in its text and in its tooltip", () => {
    const at = Date.UTC(2026, 10, 30, 8, 5);
    for (const locale of ["en", "fr"] as const) {
      setLocale(locale);
      const full = formatDateTime(at);
      const time = formatTime(at);
      // The tooltip ends with the very text shown, not "08:05" beside "8:05".
      expect(full.endsWith(time) && /\D/.test(full.charAt(full.length - time.length - 1))).toBe(true);
    }
    setLocale("en");
  });
});

test("English puts no space before %", () => {
  expect(Object.entries(en).filter(([, text]) => /\s%/.test(text))).toEqual([]);
});
