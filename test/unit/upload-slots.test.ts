// Upload slots: a per-user cap, a server-wide pool, and a reserve that only a user's first upload
// may take, so a few accounts cannot fill the pool.
import { describe, expect, test } from "bun:test";
import { DEFAULT_UPLOAD_SLOTS, UploadSlots } from "../../src/files/upload-slots.ts";

describe("upload slots", () => {
  test("the production shares: 4 per user, 256 in all, the last 64 for first uploads", () => {
    expect(DEFAULT_UPLOAD_SLOTS).toEqual({ perUser: 4, total: 256, reservedForFirst: 64 });
  });

  test("16 accounts holding 4 uploads each leave room for everyone else (issue 21, §3)", () => {
    const slots = new UploadSlots();
    for (let user = 1; user <= 16; user++) for (let i = 0; i < 4; i++) expect(slots.acquire(user)).not.toBeNull();
    expect(slots.inFlight).toBe(64);
    expect(slots.acquire(17)).not.toBeNull();
  });

  test("a fifth upload at once from one person is refused", () => {
    const slots = new UploadSlots();
    for (let i = 0; i < 4; i++) slots.acquire(1);
    expect(slots.acquire(1)).toBeNull();
  });

  test("once the shared part is full, only people with no upload in flight get a slot", () => {
    const slots = new UploadSlots({ perUser: 4, total: 12, reservedForFirst: 4 });
    // Two accounts take the 8 shared slots.
    for (const user of [1, 2]) for (let i = 0; i < 4; i++) expect(slots.acquire(user)).not.toBeNull();
    const third = slots.acquire(3);
    expect(third).not.toBeNull();
    // User 3 already has one: its second must not eat into the reserve.
    expect(slots.acquire(3)).toBeNull();
    for (const user of [4, 5, 6]) expect(slots.acquire(user)).not.toBeNull();
    expect(slots.acquire(7)).toBeNull();
    third!();
    expect(slots.acquire(7)).not.toBeNull();
  });

  test("filling the production pool takes 112 accounts", () => {
    const slots = new UploadSlots();
    let accounts = 0;
    for (let user = 1; slots.inFlight < DEFAULT_UPLOAD_SLOTS.total; user++) {
      if (!slots.acquire(user)) break;
      accounts++;
      while (slots.acquire(user)) {}
    }
    expect({ accounts, inFlight: slots.inFlight }).toEqual({ accounts: 112, inFlight: 256 });
  });

  test("a release is counted once, however often it is called", () => {
    const slots = new UploadSlots({ perUser: 1, total: 1, reservedForFirst: 0 });
    const release = slots.acquire(1)!;
    release();
    release();
    expect(slots.inFlight).toBe(0);
    expect(slots.acquire(2)).not.toBeNull();
    expect(slots.acquire(3)).toBeNull();
  });
});
