// Shared steps for the file-sharing tests: rooms made through the real API, uploads with raw bodies,
// and a listing of everything under the data directory.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import type { FileService } from "../../src/files/service.ts";
import type { Message } from "../../src/protocol.ts";
import type { TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";

export const PNG_1PX = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  ),
);

/** A real PNG of one colour, for previews that should look like a picture. */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.from([0, ...Array.from({ length: width }, () => rgb).flat()]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return new Uint8Array(
    Buffer.concat([Buffer.from(PNG_1PX.subarray(0, 8)), chunk("IHDR", header), chunk("IDAT", pixels), chunk("IEND", new Uint8Array(0))]),
  );
}

export async function users(test: TestApp, count: number, options: { isAdmin?: boolean } = {}): Promise<TestUser[]> {
  const made: TestUser[] = [];
  for (let i = 0; i < count; i++) made.push(await createTestUser(test.deps, options));
  return made;
}

/** A JSON request as a user (test.request declares its Content-Length, as a browser does). */
export function sendJson(test: TestApp, user: { cookie: string } | null, method: string, path: string, json: unknown): Promise<Response> {
  return test.request(path, { method, json, cookie: user?.cookie });
}

/** A private room owned by `owner` with `members` in it (strangers to the owner accept their invitation). */
export async function privateRoom(test: TestApp, owner: TestUser, members: TestUser[] = []): Promise<number> {
  const response = await sendJson(test, owner, "POST", "/api/rooms", {
    kind: "private",
    name: `files ${Math.random().toString(36).slice(2, 8)}`,
    members: members.map((m) => m.id),
  });
  if (response.status !== 201) throw new Error(`create room: ${response.status} ${await response.text()}`);
  const { room, requested } = (await response.json()) as { room: { id: number }; requested: number[] };
  for (const member of members) {
    if (!requested.includes(member.id)) continue;
    const accepted = await test.request(`/api/requests/${room.id}/accept`, { method: "POST", cookie: member.cookie });
    if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${await accepted.text()}`);
  }
  return room.id;
}

export interface UploadOptions {
  name?: string;
  caption?: string;
  clientId?: string;
  headers?: Record<string, string>;
}

export function uploadPath(roomId: number, options: UploadOptions = {}): string {
  const query = new URLSearchParams();
  if (options.name !== undefined) query.set("name", options.name);
  if (options.caption !== undefined) query.set("caption", options.caption);
  if (options.clientId !== undefined) query.set("clientId", options.clientId);
  const qs = query.toString();
  return `/api/rooms/${roomId}/files${qs ? `?${qs}` : ""}`;
}

export function upload(
  test: TestApp,
  user: { cookie: string } | null,
  roomId: number,
  body: BodyInit | Uint8Array,
  options: UploadOptions = {},
): Promise<Response> {
  return test.request(uploadPath(roomId, options), {
    method: "POST",
    body: body as BodyInit,
    cookie: user?.cookie,
    headers: { "content-type": "application/octet-stream", ...options.headers },
  });
}

/** Uploads and fails the test unless the file was stored; returns the message carrying it. */
export async function uploaded(test: TestApp, user: TestUser, roomId: number, body: BodyInit | Uint8Array, options: UploadOptions = {}): Promise<Message> {
  const response = await upload(test, user, roomId, body, options);
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { message: Message }).message;
}

export function download(test: TestApp, user: { cookie: string } | null, fileId: string, query = ""): Promise<Response> {
  return test.request(`/api/files/${fileId}${query}`, { cookie: user?.cookie });
}

/** Every file under `dir`, as paths relative to it, sorted. */
export function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/** Names in <data>/files/. */
export function storedFiles(test: TestApp): string[] {
  return readdirSync(join(test.dataDir, "files")).sort();
}

export function fileRows(test: TestApp): Promise<{ id: string; name: string; size: number }[]> {
  return test.sql.all<{ id: string; name: string; size: number }>("SELECT id, name, size FROM files ORDER BY created_at");
}

export async function errorOf(response: Response): Promise<{ status: number; error: string; message: string }> {
  const body = (await response.json()) as { error: string; message: string };
  return { status: response.status, error: body.error, message: body.message };
}

/** The file service of the app under test (exposed by fileApi for exactly this). */
export function filesOf(test: TestApp): FileService {
  return (test.app.decorator as unknown as { files: FileService }).files;
}
