import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { createLogger } from "../../src/log.ts";
import { startServer } from "../../src/server.ts";
import { createAssetStore } from "../../src/web/assets.ts";
import { EMBEDDED_FILES } from "../../src/web/embedded.generated.ts";
import { tempDir, testConfig } from "../support/app.ts";
import { PASSWORD } from "./accounts-helpers.ts";

const dataDir = tempDir();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function start(lines: string[]) {
  const config = testConfig(dataDir, { host: "127.0.0.1" });
  return startServer(config, createLogger((line) => lines.push(line)), createAssetStore(EMBEDDED_FILES));
}

test("the start-up log says there is no admin yet until the first account exists", async () => {
  const first: string[] = [];
  const server = await start(first);
  try {
    expect(first.some((line) => line.includes('"event":"no_admin_yet"'))).toBe(true);
    const response = await fetch(`https://127.0.0.1:${server.port}/api/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: `https://127.0.0.1:${server.port}` },
      body: JSON.stringify({ username: "owner", password: PASSWORD }),
      tls: { rejectUnauthorized: false },
    });
    expect(((await response.json()) as { user: { isAdmin: boolean } }).user.isAdmin).toBe(true);
  } finally {
    await server.stop();
  }

  const second: string[] = [];
  const restarted = await start(second);
  await restarted.stop();
  expect(second.some((line) => line.includes('"event":"listening"'))).toBe(true);
  expect(second.some((line) => line.includes("no_admin_yet"))).toBe(false);
});
