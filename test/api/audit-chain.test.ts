// The audit log is tamper-evident: a hash chain with HMAC-signed checkpoints. Verification passes on
// an honest log and, after each kind of tampering done straight in the database (as someone with the
// database but without the secrets file could), fails and names the entry where it happened.
import type { AuditEvent } from "../../src/protocol.ts";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { entryHash } from "../../src/audit/chain.ts";
import { MAX_ENTRIES } from "../../src/audit/checkpoints.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
const trail = () => app.app.decorator.services.audit;
const audit = () => app.app.decorator.services.accounts.audit;

async function record(count: number, event: AuditEvent = "invite_created"): Promise<void> {
  for (let i = 0; i < count; i++) await audit().record(event, { target: `thing-${i}`, detail: { n: i } });
}

type Entry = { id: number; at: number; event: string; actorId: number | null; target: string | null; ip: string | null; detail: string | null; prevHash: string; hash: string };
const entries = () =>
  app.sql.all<Entry>(`SELECT id, at, event, actor_id AS "actorId", target, ip, detail, prev_hash AS "prevHash", hash FROM audit_log ORDER BY id`);

beforeEach(async () => {
  app = await createTestApp();
  await record(6);
  await trail().checkpoint();
  await record(4);
});
afterEach(() => app.close());

describe("audit verify", () => {
  test("passes on an honest log, with every entry chained to the one before", async () => {
    const report = await trail().verify();
    expect(report).toMatchObject({ ok: true, entries: 10, checkpoints: 1, unsigned: 4, problem: null });
    const rows = await entries();
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    await trail().checkpoint();
    expect(await trail().verify()).toMatchObject({ ok: true, checkpoints: 2, unsigned: 0 });
  });

  test("fails and names the entry whose text was edited in the database", async () => {
    const victim = (await entries())[3]!;
    await app.sql.run("UPDATE audit_log SET target = ? WHERE id = ?", "someone-else", victim.id);
    const report = await trail().verify();
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "altered", entryId: victim.id });
  });

  test("fails and names the entry after one that was deleted", async () => {
    const rows = await entries();
    await app.sql.run("DELETE FROM audit_log WHERE id = ?", rows[7]!.id);
    const report = await trail().verify();
    expect(report.problem).toMatchObject({ kind: "removed", entryId: rows[8]!.id });
  });

  test("fails and names an entry inserted with a correct-looking hash", async () => {
    const rows = await entries();
    const before = rows[4]!;
    // Make room after entry 5 (shift the later ids up by one), then forge an entry that links to it.
    const shift = 1_000_000;
    await app.sql.run("UPDATE audit_log SET id = id + ? WHERE id > ?", shift, before.id);
    await app.sql.run("UPDATE audit_log SET id = id - ? WHERE id > ?", shift - 1, before.id + shift - 1);
    const forged = { id: before.id + 1, at: Date.now(), event: "admin_promoted", actorId: null, target: "mallory", ip: null, detail: null };
    const hash = entryHash(forged, before.hash);
    await app.sql.run(
      "INSERT INTO audit_log (id, at, event, actor_id, target, ip, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      forged.id, forged.at, forged.event, forged.actorId, forged.target, forged.ip, forged.detail, before.hash, hash,
    );
    const report = await trail().verify();
    expect(report.problem).toMatchObject({ kind: "inserted", entryId: forged.id });
  });

  test("fails when the tail is cut past a checkpoint, even with the chain itself intact", async () => {
    await trail().checkpoint();
    const rows = await entries();
    await app.sql.run("DELETE FROM audit_log WHERE id > ?", rows[7]!.id);
    const report = await trail().verify();
    expect(report.problem).toMatchObject({ kind: "truncated", entryId: rows.at(-1)!.id });
  });

  test("a checkpoint cannot be forged or re-signed without the key", async () => {
    await app.sql.run("UPDATE audit_checkpoints SET entry_hash = ?", "f".repeat(64));
    expect((await trail().verify()).problem).toMatchObject({ kind: "checkpoint" });
  });

  test("a checkpoint removed from between two others is caught", async () => {
    await trail().checkpoint();
    await record(2);
    await trail().checkpoint();
    const checkpoints = await app.sql.all<{ id: number }>("SELECT id FROM audit_checkpoints ORDER BY id");
    expect(checkpoints).toHaveLength(3);
    await app.sql.run("DELETE FROM audit_checkpoints WHERE id = ?", checkpoints[1]!.id);
    expect((await trail().verify()).problem).toMatchObject({ kind: "checkpoint", checkpointId: checkpoints[2]!.id });
  });

  test("an edit re-hashed all the way down the chain is still caught by the signed checkpoint", async () => {
    const rows = await entries();
    // The attacker edits entry 2 and recomputes every hash after it: the chain is consistent again.
    let prev = rows[0]!.hash;
    for (const [i, row] of rows.entries()) {
      if (i === 0) continue;
      const content = i === 1 ? { ...row, target: "rewritten" } : row;
      const hash = entryHash(content, prev);
      await app.sql.run("UPDATE audit_log SET target = ?, prev_hash = ?, hash = ? WHERE id = ?", content.target, prev, hash, row.id);
      prev = hash;
    }
    const report = await trail().verify();
    // The checkpoint signed entry 6's old hash.
    expect(report.problem).toMatchObject({ kind: "altered", entryId: rows[5]!.id });
  });
});

describe("checkpoints and the chain over time", () => {
  test("a checkpoint with nothing new since the last one signs nothing (an idle server adds no rows)", async () => {
    expect(await trail().checkpoint()).not.toBeNull();
    expect(await trail().checkpoint()).toBeNull();
    expect(await app.sql.get(`SELECT count(*) AS n FROM audit_checkpoints`)).toEqual({ n: 2 });
    await record(1);
    expect(await trail().checkpoint()).toMatchObject({ entryId: (await entries()).at(-1)!.id });
  });

  test("entries an older version wrote without a chain are chained at start, oldest first, and then verify", async () => {
    // As before migration 011: no links, no hashes, no checkpoints.
    await app.sql.run("DELETE FROM audit_checkpoints");
    await app.sql.run("UPDATE audit_log SET prev_hash = NULL, hash = NULL");
    await trail().start();
    try {
      const rows = await entries();
      expect(rows.every((row) => row.hash !== null)).toBe(true);
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
      expect(await trail().verify()).toMatchObject({ ok: true, entries: 10 });
    } finally {
      await trail().stop();
    }
  });
});

describe("pruning", () => {
  test("leaves a log of no more than the limit whole, even when its ids are sparse", async () => {
    // Ids need not be dense (a Postgres sequence skips the ids of rolled-back inserts): the limit counts
    // entries, so 10 entries with a limit of 10 lose none, wherever their ids lie.
    const rows = await entries();
    await app.sql.run("UPDATE audit_log SET id = id + 1000 WHERE id > ?", rows[5]!.id);
    const { checkpointCommand } = await import("../../src/audit/checkpoints.ts");
    await app.store.write(checkpointCommand, { key: app.deps.secrets.auditKey, now: Date.now(), maxEntries: rows.length });
    const left = await entries();
    expect(left).toHaveLength(rows.length);
    expect(left.map((e) => e.event)).not.toContain("audit_pruned");
  });

  test("removes old entries only up to a checkpoint, and the pruned log still verifies", async () => {
    // Keep at most 4 entries: everything up to the first checkpoint (entry 6) goes.
    const rows = await entries();
    await app.store.write((await import("../../src/audit/checkpoints.ts")).checkpointCommand, { key: app.deps.secrets.auditKey, now: Date.now(), maxEntries: 4 });
    const left = await entries();
    expect(left[0]!.id).toBe(rows[6]!.id);
    expect(left.at(-1)!.event).toBe("audit_pruned");
    const report = await trail().verify();
    expect(report).toMatchObject({ ok: true, firstEntryId: rows[6]!.id });
    // Cutting one more entry at the head is not pruning: it is caught.
    await app.sql.run("DELETE FROM audit_log WHERE id = ?", rows[6]!.id);
    expect((await trail().verify()).problem).toMatchObject({ kind: "removed", entryId: rows[7]!.id });
    expect(MAX_ENTRIES).toBe(200_000);
  });
});
