// Clients of a cluster's nodes: accounts made through the API of any node, sockets on a chosen node.
import type { RunningBinary } from "../support/binary.ts";
import { TestSocket, type TestServer } from "../ws/client.ts";

export const PASSWORD = "correct horse battery staple";

/** What TestSocket and api() need of a server, for one node. */
export function endpoint(node: RunningBinary): TestServer {
  return { url: node.url, origin: node.url, wsUrl: node.url.replace("https://", "wss://") + "/ws" } as unknown as TestServer;
}

export async function call(node: RunningBinary, path: string, init: { method?: string; json?: unknown; cookie?: string } = {}) {
  const headers: Record<string, string> = { origin: node.url };
  if (init.cookie) headers.cookie = init.cookie;
  if (init.json !== undefined) headers["content-type"] = "application/json";
  return fetch(node.url + path, {
    method: init.method ?? (init.json === undefined ? "GET" : "POST"),
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    tls: { rejectUnauthorized: false },
  });
}

export interface Person {
  id: number;
  username: string;
  cookie: string;
}

let counter = 0;

export async function register(node: RunningBinary, name = `p${++counter}${Math.random().toString(36).slice(2, 7)}`): Promise<Person> {
  const response = await call(node, "/api/auth/register", { json: { username: name, password: PASSWORD } });
  if (response.status !== 201) throw new Error(`register ${name} on ${node.url}: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]!).join("; ");
  const { user } = (await response.json()) as { user: { id: number; username: string; isAdmin: boolean } };
  // The first account would be welcomed with the first-run setup (issue 19): done here, keeping
  // registration open for the accounts that follow.
  if (user.isAdmin) await call(node, "/api/admin/setup", { json: { registrationMode: "open", createGeneral: false }, cookie });
  return { id: user.id, username: user.username, cookie };
}

export async function publicRoom(node: RunningBinary, owner: Person, members: Person[], via: RunningBinary[] = [node]): Promise<number> {
  const response = await call(node, "/api/rooms", { json: { kind: "public", name: `room ${Math.random().toString(36).slice(2, 8)}` }, cookie: owner.cookie });
  const { room } = (await response.json()) as { room: { id: number } };
  for (const [i, member] of members.entries()) {
    const joined = await call(via[i % via.length]!, `/api/rooms/${room.id}/join`, { json: {}, cookie: member.cookie });
    if (joined.status !== 200) throw new Error(`join: ${joined.status} ${await joined.text()}`);
  }
  return room.id;
}

export function socketOn(node: RunningBinary, person: Person): Promise<TestSocket> {
  return TestSocket.connect(endpoint(node), person.cookie);
}
