// The interface text: English and French carry the same keys and the same placeholders; sizes are
// shown in IEC units (1 KiB = 1024 bytes) and named so.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Window } from "happy-dom";
import { en } from "../../../web/src/i18n/en.ts";
import { fr } from "../../../web/src/i18n/fr.ts";
import { format, formatBytes, setLocale } from "../../../web/src/i18n/index.ts";

// setLocale marks the document's language.
const global = globalThis as { document?: Document };
const previous = global.document;
beforeAll(() => {
  global.document = new Window().document as unknown as Document;
});
afterAll(() => {
  setLocale("en");
  global.document = previous;
});

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogues", () => {
  test("French has exactly the English keys", () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  test("every French message uses the same placeholders as its English one", () => {
    const mismatched = Object.keys(en).filter(
      (key) => JSON.stringify(placeholders(en[key as keyof typeof en])) !== JSON.stringify(placeholders(fr[key as keyof typeof fr])),
    );
    expect(mismatched).toEqual([]);
  });

  test("no message is empty", () => {
    expect(Object.entries(en).filter(([, v]) => !v.trim())).toEqual([]);
    expect(Object.entries(fr).filter(([, v]) => !v.trim())).toEqual([]);
  });

  test("plural messages come in pairs", () => {
    for (const key of Object.keys(en)) {
      if (key.endsWith(".one")) expect(Object.keys(en)).toContain(key.replace(/\.one$/, ".other"));
    }
  });

  test("placeholders are filled as given, and unknown ones are left visible", () => {
    expect(format("{name} is typing…", { name: "<b>x</b>" })).toBe("<b>x</b> is typing…");
    expect(format("{a} and {b}", { a: 1 })).toBe("1 and {b}");
  });
});

describe("formatBytes", () => {
  test("counts in powers of 1024 and names the units KiB, MiB, GiB", () => {
    setLocale("en");
    expect([0, 1023, 1024, 1536, 25 * 1024 ** 2, 1024 ** 3, 3 * 1024 ** 4].map(formatBytes)).toEqual([
      "0 B", "1,023 B", "1 KiB", "1.5 KiB", "25 MiB", "1 GiB", "3 TiB",
    ]);
    // 25 MB (25,000,000 bytes) is not 25 MiB: a reader comparing with --max-upload 25MiB must see the difference.
    expect(formatBytes(25_000_000)).toBe("23.8 MiB");
  });

  test("in French: Kio, Mio, Gio", () => {
    setLocale("fr");
    expect([1536, 25 * 1024 ** 2, 1024 ** 3].map(formatBytes)).toEqual(["1,5 Kio", "25 Mio", "1 Gio"]);
  });
});
