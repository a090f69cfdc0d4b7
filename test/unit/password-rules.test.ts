import { describe, expect, test } from "bun:test";
import { assertPasswordRules, commonPasswordCount, isCommonPassword, PASSWORD_MAX } from "../../src/accounts/password-rules.ts";
import { AppError } from "../../src/errors.ts";

function codeOf(password: string, usernameKey = "alice"): string {
  try {
    assertPasswordRules(password, usernameKey);
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return "accepted";
}

describe("password rules", () => {
  test("need at least 10 characters", () => {
    expect(codeOf("tr0ub4dor")).toBe("password_too_short");
    expect(codeOf("tr0ub4dor&")).toBe("accepted");
  });

  test("allow at most 256 characters, counted as characters", () => {
    expect(codeOf("x".repeat(PASSWORD_MAX - 10) + "q8Zv!kW3pL")).toBe("accepted");
    expect(codeOf("y".repeat(PASSWORD_MAX + 1))).toBe("password_too_long");
    expect(codeOf("🔑".repeat(PASSWORD_MAX))).toBe("accepted");
    expect(codeOf("z".repeat(60_000))).toBe("password_too_long");
  });

  test("refuse passwords on the shipped list of common passwords, in any case", () => {
    expect(commonPasswordCount()).toBeGreaterThan(5000);
    for (const common of ["1234567890", "qwertyuiop", "password123", "PASSWORD123", "Qwertyuiop"]) {
      expect(isCommonPassword(common)).toBe(true);
      expect(codeOf(common)).toBe("password_too_common");
    }
    expect(isCommonPassword("violet-harbour-lantern-42")).toBe(false);
  });

  test("refuse the username as the password, whatever its case", () => {
    expect(codeOf("Marguerite7", "marguerite7")).toBe("password_is_username");
    expect(codeOf("marguerite7", "marguerite7")).toBe("password_is_username");
    expect(codeOf("marguerite7!", "marguerite7")).toBe("accepted");
  });
});
