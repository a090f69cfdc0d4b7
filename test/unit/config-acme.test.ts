import { describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { ConfigError, LETS_ENCRYPT, LETS_ENCRYPT_STAGING, parseInvocation } from "../../src/config.ts";

const acmeOf = (argv: string[], env: Record<string, string> = {}) => {
  const invocation = parseInvocation(argv, env);
  if (invocation.kind !== "run") throw new Error("expected a run");
  return invocation.config.acme;
};
const refused = (argv: string[]) => {
  try {
    parseInvocation(argv, {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.split("\n")).toHaveLength(1);
    return (error as Error).message;
  }
  throw new Error(`accepted ${argv.join(" ")}`);
};

describe("ACME configuration", () => {
  test("is off without --domain", () => {
    expect(acmeOf([])).toBeNull();
  });

  test("--domain turns it on with Let's Encrypt production and a 10-minute first retry", () => {
    expect(acmeOf(["--domain", "Chat.Example.org, files.example.org,chat.example.org"])).toEqual({
      domains: ["chat.example.org", "files.example.org"],
      email: null,
      directoryUrl: LETS_ENCRYPT,
      caFile: null,
      challenge: null,
      retrySeconds: 600,
    });
  });

  test("every setting has a variable; flags win", () => {
    const env = {
      VAULTROOM_DOMAIN: "a.example.org",
      VAULTROOM_ACME_EMAIL: "ops@example.org",
      VAULTROOM_ACME_DIRECTORY: "staging",
      VAULTROOM_ACME_CA_FILE: "ca.pem",
      VAULTROOM_ACME_CHALLENGE: "tls-alpn-01",
      VAULTROOM_ACME_RETRY: "30",
    };
    expect(acmeOf([], env)).toEqual({
      domains: ["a.example.org"],
      email: "ops@example.org",
      directoryUrl: LETS_ENCRYPT_STAGING,
      caFile: resolve("ca.pem"),
      challenge: "tls-alpn-01",
      retrySeconds: 30,
    });
    expect(acmeOf(["--domain", "b.example.org", "--acme-directory", "https://acme.internal:14000/dir"], env)).toMatchObject({
      domains: ["b.example.org"],
      directoryUrl: "https://acme.internal:14000/dir",
    });
  });

  test("domain names are validated strictly", () => {
    for (const bad of ["localhost", "*.example.org", "192.168.1.10", "exa mple.org", "-a.example.org", "a_b.example.org", "ex\u00e4mple.org", "a..b", `${"a".repeat(64)}.org`, "https://chat.example.org"]) {
      expect(refused(["--domain", bad])).toContain("--domain must be a list of DNS names");
    }
    expect(acmeOf(["--domain", "xn--bcher-kva.example."])!.domains).toEqual(["xn--bcher-kva.example"]);
  });

  test("other values are checked with one clear line", () => {
    expect(refused(["--domain", "a.example.org", "--acme-directory", "http://acme.example/dir"])).toContain("must use https://");
    expect(refused(["--domain", "a.example.org", "--acme-email", "not an address"])).toContain("--acme-email must be");
    expect(refused(["--domain", "a.example.org", "--acme-challenge", "dns-01"])).toContain("tls-alpn-01 or http-01");
    expect(refused(["--domain", "a.example.org", "--acme-retry", "0"])).toContain("--acme-retry must be");
    expect(refused(["--domain", "a.example.org", "--acme-challenge", "http-01"])).toContain("needs --redirect-port");
    expect(refused(["--acme-email", "ops@example.org"])).toBe("--acme-email needs --domain");
  });
});
