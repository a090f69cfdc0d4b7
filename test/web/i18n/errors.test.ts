// Refusals shown to people: every catalogued error reads as finished text in both languages, and the
// ones that state a limit state the one the server enforces (from web/src/api/account-limits.ts).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Window } from "happy-dom";
import { ApiError } from "../../../web/src/api/http.ts";
import { DISPLAY_NAME_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN } from "../../../web/src/api/account-limits.ts";
import { en } from "../../../web/src/i18n/en.ts";
import { errorText } from "../../../web/src/i18n/errors.ts";
import { setLocale, type Locale } from "../../../web/src/i18n/index.ts";

const global = globalThis as { document?: Document };
const previous = global.document;
beforeAll(() => {
  global.document = new Window().document as unknown as Document;
});
afterAll(() => {
  setLocale("en");
  global.document = previous;
});

// error.<code> entries (error.rateLimitedFor.one and the like are plural helpers, not codes).
const codes = Object.keys(en).filter((key) => /^error\.[a-z_]+$/.test(key)).map((key) => key.slice("error.".length));
const refused = (code: string) => errorText(new ApiError(400, code, "server text"));

describe("errorText", () => {
  for (const locale of ["en", "fr"] as Locale[]) {
    test(`${locale}: no catalogued refusal shows an unfilled {placeholder}`, () => {
      setLocale(locale);
      expect(codes.length).toBeGreaterThan(20);
      expect(codes.map((code) => [code, refused(code)]).filter(([, text]) => /\{\w+\}/.test(text!))).toEqual([]);
    });
  }

  test("length refusals name the server's limits", () => {
    setLocale("en");
    expect(refused("username_length")).toBe(`Usernames must be ${USERNAME_MIN} to ${USERNAME_MAX} characters long.`);
    expect(refused("display_name_length")).toBe(`Display names can be at most ${DISPLAY_NAME_MAX} characters long.`);
    expect(refused("password_too_short")).toBe(`Passwords must be at least ${PASSWORD_MIN} characters long.`);
  });

  test("an unknown code shows the server's own message", () => {
    expect(refused("something_new")).toBe("server text");
  });
});
