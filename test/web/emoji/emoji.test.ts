// Emoji in the web client: the canonical form (the protocol's one function, used by both sides)
// takes every emoji of the picker's data set and refuses text; search finds by name first; `:shortcode` completes; drafts are kept per room
// and thread, per account, and dropped at logout.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Window } from "happy-dom";
import compact from "emojibase-data/en/compact.json";
import { canonicalEmoji } from "../../../src/protocol/emoji.ts";
import { completeShortcode, loadEmoji, searchEmoji } from "../../../web/src/emoji/data.ts";
import { clearDrafts, draftKey, draftOf, loadDrafts, saveDraft } from "../../../web/src/stores/drafts.ts";

describe("the canonical emoji", () => {
  test("takes every emoji and skin tone of the picker's data set, each as one RGI emoji", () => {
    const refused: string[] = [];
    let checked = 0;
    for (const item of compact as { unicode: string; group?: number; skins?: { unicode: string }[] }[]) {
      // The picker leaves out what is not an emoji alone: components (skin tones, hair) and loose regional letters.
      if (item.group === undefined || item.group === 2) continue;
      for (const form of [item.unicode, ...(item.skins ?? []).map((s) => s.unicode)]) {
        const canonical = canonicalEmoji(form);
        if (canonical === null) refused.push(form);
        else expect(/^\p{RGI_Emoji}$/v.test(canonical)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3500);
    expect(refused).toEqual([]);
  });

  test("forgives a variation selector too many or too few, and refuses text", () => {
    expect(canonicalEmoji("👍\uFE0F")).toBe("👍");
    expect(canonicalEmoji("❤")).toBe("❤️");
    for (const text of ["a", ":+1:", "👍👍", "👍 ", "", "\uFE0F", "🇦", "x".repeat(40)]) expect({ text, form: canonicalEmoji(text) }).toEqual({ text, form: null });
  });
});

describe("the emoji data", () => {
  test("search puts the emoji named so first; shortcodes complete from a prefix", async () => {
    const data = await loadEmoji("en");
    expect(searchEmoji(data, "pizza")[0]!.emoji).toBe("🍕");
    expect(searchEmoji(data, "thumbs up")[0]!.emoji).toBe("👍");
    expect(searchEmoji(data, "")).toEqual([]);
    expect(completeShortcode(data, "thu").map((s) => s.entry.emoji)).toContain("👍");
    expect(completeShortcode(data, "+1")[0]).toMatchObject({ code: "+1", entry: { emoji: "👍" } });
    const french = await loadEmoji("fr");
    expect(searchEmoji(french, "pouce vers le haut")[0]!.emoji).toBe("👍");
  });
});

describe("drafts", () => {
  const window = new Window();
  const global = globalThis as { sessionStorage?: Storage };
  const previous = global.sessionStorage;
  beforeAll(() => {
    global.sessionStorage = window.sessionStorage as unknown as Storage;
  });
  afterAll(() => {
    global.sessionStorage = previous;
  });

  test("are kept per room and per thread for one account, and none are left after its logout", () => {
    loadDrafts(7);
    saveDraft(draftKey(3), "for the room");
    saveDraft(draftKey(3, 42), "for the thread");
    loadDrafts(7);
    expect([draftOf(draftKey(3)), draftOf(draftKey(3, 42)), draftOf(draftKey(4))]).toEqual(["for the room", "for the thread", ""]);
    loadDrafts(8);
    expect(draftOf(draftKey(3))).toBe("");
    clearDrafts(8);
    loadDrafts(7);
    clearDrafts(7);
    expect(window.sessionStorage.length).toBe(0);
    loadDrafts(7);
    expect(draftOf(draftKey(3))).toBe("");
  });
});
