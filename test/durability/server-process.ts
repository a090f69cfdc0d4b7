// The compiled binary as a process this test can kill and start again on the same data directory,
// and the HTTP calls that give the durability tests real users, sessions and rooms.
import { join } from "node:path";
import { assertBinaryBuilt, BINARY, freePort } from "../support/binary.ts";

/** DURABILITY_BINARY lets a deliberately broken build be pointed at (see the issue note). */
const binary = process.env.DURABILITY_BINARY ?? BINARY;

export interface ServerProcess {
  port: number;
  url: string;
  origin: string;
  wsUrl: string;
  proc: Bun.Subprocess<"ignore", "ignore", "pipe">;
  output(): string;
}

let checked = false;

export async function startServer(dir: string): Promise<ServerProcess> {
  // Checked once per run: a rebuild of web/dist mid-run must not fail a restart.
  if (!process.env.DURABILITY_BINARY && !checked) assertBinaryBuilt();
  checked = true;
  const port = await freePort();
  const proc = Bun.spawn(
    [binary, "serve", "--host", "127.0.0.1", "--port", String(port), "--data", join(dir, "data"), "--certs", join(dir, "certs")],
    { cwd: dir, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, stdin: "ignore", stdout: "ignore", stderr: "pipe" },
  );
  let output = "";
  void (async () => {
    const decoder = new TextDecoder();
    const reader = proc.stderr.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) output += decoder.decode(chunk.value);
  })();
  const url = `https://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`vaultroom exited with ${proc.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`, { tls: { rejectUnauthorized: false } })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`vaultroom did not answer /api/health within 15 s:\n${output}`);
    }
    await Bun.sleep(25);
  }
  return { port, url, origin: url, wsUrl: `wss://127.0.0.1:${port}/ws`, proc, output: () => output };
}

async function api<T>(server: ServerProcess, path: string, body: unknown, cookie?: string): Promise<{ json: T; cookie: string }> {
  const response = await fetch(server.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.origin, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
    tls: { rejectUnauthorized: false },
  });
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  const setCookie = response.headers.getSetCookie().map((c) => c.split(";")[0]!).filter((pair) => !pair.endsWith("="));
  return { json: (await response.json()) as T, cookie: setCookie.join("; ") };
}

export interface RegisteredUser {
  id: number;
  username: string;
  cookie: string;
}

/** Registers through the real API, as a person would (the first account becomes the admin). */
export async function registerUser(server: ServerProcess, username: string): Promise<RegisteredUser> {
  const { json, cookie } = await api<{ user: { id: number } }>(server, "/api/auth/register", {
    username,
    password: `durable-${username}-passphrase`,
  });
  return { id: json.user.id, username, cookie };
}

export async function createPublicRoom(server: ServerProcess, owner: RegisteredUser, name: string): Promise<number> {
  const { json } = await api<{ room: { id: number } }>(server, "/api/rooms", { kind: "public", name }, owner.cookie);
  return json.room.id;
}

export async function joinRoom(server: ServerProcess, user: RegisteredUser, roomId: number): Promise<void> {
  await api(server, `/api/rooms/${roomId}/join`, {}, user.cookie);
}

/** One message through the API (a thread root, a message to react to); its id. */
export async function postOnce(server: ServerProcess, user: RegisteredUser, roomId: number, body: string, clientId: string): Promise<number> {
  const { json } = await api<{ message: { id: number } }>(server, `/api/rooms/${roomId}/messages`, { clientId, body }, user.cookie);
  return json.message.id;
}
