import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { FILENAME_MAX_CHARS, sanitizeFilename } from "../../src/files/filename.ts";
import { contentDisposition } from "../../src/http/file-headers.ts";

const DANGEROUS = /[/\\\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/;

describe("a user's filename is sanitised to harmless metadata", () => {
  test("path parts are dropped, whichever separator is used", () => {
    expect(sanitizeFilename("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFilename("..\\x")).toBe("x");
    expect(sanitizeFilename("C:\\Users\\me\\report.pdf")).toBe("report.pdf");
    expect(sanitizeFilename("/")).toBe("file");
    expect(sanitizeFilename("..")).toBe("file");
    expect(sanitizeFilename("a/..")).toBe("file");
  });

  test("nothing is decoded: percent-escapes stay literal characters", () => {
    expect(sanitizeFilename("%2e%2e%2f")).toBe("%2e%2e%2f");
    expect(sanitizeFilename("%2e%2e%2fetc%2fpasswd")).toBe("%2e%2e%2fetc%2fpasswd");
  });

  test("NUL, CR, LF and other control characters are removed", () => {
    expect(sanitizeFilename("evil\u0000.txt")).toBe("evil.txt");
    expect(sanitizeFilename("a\r\nSet-Cookie: x=1.txt")).toBe("aSet-Cookie: x=1.txt");
    expect(sanitizeFilename("tab\there\u007f\u0085.txt")).toBe("tabhere.txt");
  });

  test("bidi overrides and zero-width characters cannot disguise an extension", () => {
    // "invoice\u202Efdp.exe" displays as "invoiceexe.pdf" in a bidi-aware UI.
    expect(sanitizeFilename("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(sanitizeFilename("a\u2066b\u2069c\u200Bd\u200De\uFEFF.png")).toBe("abcde.png");
  });

  test("300 characters are cut to the cap, keeping the extension", () => {
    const name = sanitizeFilename("a".repeat(300) + ".tar.gz");
    expect(Array.from(name).length).toBe(FILENAME_MAX_CHARS);
    expect(name.endsWith(".gz")).toBe(true);
    expect(Array.from(sanitizeFilename("é".repeat(300))).length).toBe(FILENAME_MAX_CHARS);
    // A cut never splits a surrogate pair.
    expect(sanitizeFilename("😀".repeat(300)).isWellFormed()).toBe(true);
  });

  test("an empty or invisible-only name becomes \"file\"", () => {
    expect(sanitizeFilename("")).toBe("file");
    expect(sanitizeFilename("\u0000\u202E\r\n")).toBe("file");
    expect(sanitizeFilename("   ")).toBe("file");
  });

  test("ordinary names, accents and emoji are kept as typed", () => {
    expect(sanitizeFilename("Résumé 2024 (final).pdf")).toBe("Résumé 2024 (final).pdf");
    expect(sanitizeFilename("photo 📷.jpg")).toBe("photo 📷.jpg");
    expect(sanitizeFilename(".bashrc")).toBe(".bashrc");
  });

  test("for any input the result is non-empty, bounded and free of separators and invisible characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 600 }), (raw) => {
        const name = sanitizeFilename(raw);
        expect(name.length).toBeGreaterThan(0);
        expect(Array.from(name).length).toBeLessThanOrEqual(FILENAME_MAX_CHARS);
        expect(DANGEROUS.test(name)).toBe(false);
        expect(name).not.toBe("..");
        expect(name.isWellFormed()).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("Content-Disposition (RFC 6266 / RFC 5987)", () => {
  test("carries an ASCII fallback and the exact UTF-8 name", () => {
    expect(contentDisposition("attachment", "Résumé \"final\" 100%.pdf")).toBe(
      `attachment; filename="Resume _final_ 100_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%20100%25.pdf`,
    );
  });

  test("a sanitised name can never break out of the header", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (raw) => {
        const header = contentDisposition("attachment", sanitizeFilename(raw));
        expect(/^[\x20-\x7e]+$/.test(header)).toBe(true);
        const match = /^attachment; filename="([^"\\]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]+)$/.exec(header);
        expect(match).not.toBeNull();
        expect(decodeURIComponent(match![2]!)).toBe(sanitizeFilename(raw));
      }),
      { numRuns: 1000 },
    );
  });
});
