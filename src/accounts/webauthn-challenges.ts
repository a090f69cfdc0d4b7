// WebAuthn challenges: 32 random bytes made by the library, stored with what they are for (and for
// whom) for 5 minutes, and taken out of the table by the request that answers them, so each works once
// and on whichever node the answer lands.
import { sql } from "../db/query.ts";
import { command } from "../db/store.ts";

export type ChallengePurpose = "register" | "login" | "second_factor" | "reauth";
export const CHALLENGE_MS = 5 * 60_000;

const q = {
  insert: sql<never, [string, string, string, number | null, number]>(
    "INSERT INTO webauthn_challenges (id, challenge, purpose, user_id, expires_at) VALUES (?, ?, ?, ?, ?)",
  ),
  take: sql<{ id: string; userId: number | null }, [string, string, number]>(
    `DELETE FROM webauthn_challenges WHERE challenge = ? AND purpose = ? AND expires_at > ? RETURNING user_id AS "userId", id`,
  ),
  sweep: sql<never, [number]>("DELETE FROM webauthn_challenges WHERE expires_at <= ?"),
};

const randomId = () => Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString("base64url");

export const storeChallenge = command(
  "webauthn.challenge",
  async (tx, input: { challenge: string; purpose: ChallengePurpose; userId: number | null; now: number }) => {
    await tx.run(q.sweep, input.now);
    await tx.run(q.insert, randomId(), input.challenge, input.purpose, input.userId, input.now + CHALLENGE_MS);
  },
);

/**
 * Spends the challenge a response answers: true only the first time, within 5 minutes, for the same
 * purpose and user. A spent, foreign or made-up challenge is false.
 */
export const takeChallenge = command(
  "webauthn.takeChallenge",
  async (tx, input: { challenge: string; purpose: ChallengePurpose; userId: number | null; now: number }): Promise<boolean> => {
    const rows = await tx.all(q.take, input.challenge, input.purpose, input.now);
    return rows.length === 1 && (rows[0]!.userId ?? null) === input.userId;
  },
);


/** The challenge inside a response's clientDataJSON (still to be verified by the library). */
export function challengeOf(clientDataJSON: string): string | null {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as { challenge?: unknown };
    return typeof data.challenge === "string" && data.challenge.length <= 256 ? data.challenge : null;
  } catch {
    return null;
  }
}
