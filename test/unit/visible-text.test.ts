import { describe, expect, test } from "bun:test";
import { hasVisibleText } from "../../src/text/visible-text.ts";
import { sanitizeFilename } from "../../src/files/filename.ts";

describe("visible text", () => {
  test("controls, format characters, spaces and fillers draw nothing", () => {
    for (const text of ["", " ", "\u0000", "\u200b", "\u2066\u2069", " \u00ad ", "\u200e\u200f", "\ufeff", "\u3164", "\u2800", "\u115f\u1160", "\uffa0", "\u3000", "\u2028", "\t\r\n"]) {
      expect({ text, visible: hasVisibleText(text) }).toEqual({ text, visible: false });
    }
  });

  test("anything else shows, alone or among them", () => {
    for (const text of ["a", ".", "\u200bx", "😀", "é", "\u0301", "नमस्ते", "\u0000 0"]) {
      expect({ text, visible: hasVisibleText(text) }).toEqual({ text, visible: true });
    }
  });

  test("a file name of fillers falls back to a name that shows", () => {
    expect(sanitizeFilename("\u3164\u2800")).toBe("file");
  });
});
