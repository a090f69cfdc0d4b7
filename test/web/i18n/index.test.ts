// The interface text: English and French carry the same keys and the same placeholders.
import { describe, expect, test } from "bun:test";
import { en } from "../../../web/src/i18n/en.ts";
import { fr } from "../../../web/src/i18n/fr.ts";
import { format } from "../../../web/src/i18n/index.ts";

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
