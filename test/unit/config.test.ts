import { describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { ConfigError, parseInvocation, parseSize } from "../../src/config.ts";

const run = (argv: string[], env: Record<string, string> = {}) => {
  const invocation = parseInvocation(argv, env);
  if (invocation.kind !== "run") throw new Error(`expected a run, got ${invocation.kind}`);
  return invocation;
};

describe("configuration", () => {
  test("defaults serve on 0.0.0.0:8443 with ./data and ./certs", () => {
    const { command, config } = run([]);
    expect(command).toEqual({ name: "serve" });
    expect(config.port).toBe(8443);
    expect(config.host).toBe("0.0.0.0");
    expect(config.dataDir).toBe(resolve("./data"));
    expect(config.certsDir).toBe(resolve("./certs"));
    expect(config.redirectPort).toBeNull();
    expect(config.maxUploadBytes).toBe(25 * 1024 * 1024);
  });

  test("flags win over environment variables, which win over defaults", () => {
    const env = { VAULTROOM_PORT: "9000", VAULTROOM_HOST: "127.0.0.1", VAULTROOM_DATA: "/srv/vr" };
    expect(run([], env).config).toMatchObject({ port: 9000, host: "127.0.0.1", dataDir: "/srv/vr" });
    expect(run(["--port", "9443", "--data=/x"], env).config).toMatchObject({ port: 9443, dataDir: "/x" });
  });

  test("serve is the default command and may be named", () => {
    expect(run(["serve", "--port", "1"]).command).toEqual({ name: "serve" });
  });

  test("--help and --version are recognised anywhere", () => {
    expect(parseInvocation(["--help"], {}).kind).toBe("help");
    expect(parseInvocation(["serve", "--version"], {}).kind).toBe("version");
  });

  test("redirect port, origins and sizes parse", () => {
    const { config } = run(["--redirect-port", "8080", "--origin", "https://chat.example.org, https://b.example", "--max-upload", "1.5MiB"]);
    expect(config.redirectPort).toBe(8080);
    expect(config.origins).toEqual(["https://chat.example.org", "https://b.example"]);
    expect(config.maxUploadBytes).toBe(1.5 * 1024 * 1024);
    // Binary units throughout, as the interface shows them: KB reads as KiB.
    expect(parseSize("x", "500KB")).toBe(500 * 1024);
    expect(parseSize("x", "25MB")).toBe(parseSize("x", "25MiB"));
    expect(parseSize("x", "1048576")).toBe(1048576);
  });

  test("operator commands parse with their arguments", () => {
    expect(run(["user", "create", "alice", "--admin"]).command).toEqual({ name: "user-create", username: "alice", admin: true });
    expect(run(["user", "reset-password", "bob"]).command).toEqual({ name: "user-reset-password", username: "bob" });
    expect(run(["user", "list"]).command).toEqual({ name: "user-list" });
    expect(run(["backup", "b.tar", "--passphrase-file", "/p"]).command).toEqual({ name: "backup", file: resolve("b.tar"), passphraseFile: "/p" });
    expect(run(["doctor"]).command).toEqual({ name: "doctor" });
  });

  const bad: [string, string[], Record<string, string>, RegExp][] = [
    ["a port that is not a number", ["--port", "abc"], {}, /--port must be a port number/],
    ["a port out of range", ["--port", "70000"], {}, /--port must be a port number/],
    ["a bad port in the environment", [], { VAULTROOM_PORT: "-1" }, /--port must be a port number/],
    ["an unknown flag", ["--prot", "1"], {}, /unknown option --prot/],
    ["a flag without its value", ["--data"], {}, /--data needs a value/],
    ["a host with a scheme", ["--host", "http://x"], {}, /--host must be an address/],
    ["an origin over plain http", ["--origin", "http://x.org"], {}, /--origin must use https/],
    ["an origin that is not a URL", ["--origin", "nope"], {}, /--origin must be a list of URLs/],
    ["a size with an unknown unit", ["--max-upload", "10 parsecs"], {}, /--max-upload must be a size/],
    ["a zero size", ["--user-quota", "0"], {}, /at least 1 byte/],
    ["the redirect port equal to the port", ["--port", "8443", "--redirect-port", "8443"], {}, /must differ/],
    ["a redirect port with a wildcard host and no origin to send visitors to", ["--redirect-port", "8080"], {}, /--redirect-port needs --origin/],
    ["an unknown command", ["launch"], {}, /unknown command "launch"/],
    ["a user command without a name", ["user", "create"], {}, /needs a NAME/],
    ["a stray argument", ["serve", "extra"], {}, /unexpected argument "extra"/],
  ];
  for (const [what, argv, env, message] of bad) {
    test(`refuses ${what} with one clear line`, () => {
      let error: unknown;
      try {
        parseInvocation(argv, env);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    });
  }
});
