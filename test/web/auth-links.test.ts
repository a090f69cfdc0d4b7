// After login the app goes only to its own pages; invite links yield their token.
import { describe, expect, test } from "bun:test";
import { inviteToken, safeNext } from "../../web/src/auth-links.ts";

describe("safeNext", () => {
  test("keeps paths of this app", () => {
    expect(safeNext("/chat/12")).toBe("/chat/12");
    expect(safeNext("/dashboard?tab=server")).toBe("/dashboard?tab=server");
  });

  test("refuses anything that could leave the site", () => {
    for (const next of ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)", " /chat", undefined, 42]) {
      expect(safeNext(next)).toBe("/chat");
    }
  });

  test("does not loop back to the login or register page", () => {
    expect(safeNext("/login?next=/chat")).toBe("/chat");
    expect(safeNext("/register")).toBe("/chat");
  });
});

describe("inviteToken", () => {
  test("reads the token from the fragment, the query or a bare code", () => {
    expect(inviteToken("https://chat.example.org/register#invite=abc_DEF-1")).toBe("abc_DEF-1");
    expect(inviteToken("/register?invite=xyz")).toBe("xyz");
    expect(inviteToken("  rawtoken  ")).toBe("rawtoken");
    expect(inviteToken("#invite=%E0%A4%A")).toBe("%E0%A4%A");
  });
});
