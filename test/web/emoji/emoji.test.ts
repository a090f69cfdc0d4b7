// Emoji in the web client: the canonical form agrees with the server's for every emoji of the data
// set and refuses text; search finds by name first; `:shortcode` completes; drafts are kept per room
// and thread, per account, and dropped at logout.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Window } from "happy-dom";
import compact from "emojibase-data/en/compact.json";
import { canonicalEmoji as serverCanonical } from "../../../src/messages/emoji.ts";
import { canonicalEmoji } from "../../../web/src/emoji/canonical.ts";
import { completeShortcode, loadEmoji, searchEmoji } from "../../../web/src/emoji/data.ts";
import { clearDrafts, draftKey, draftOf, loadDrafts, saveDraft } from "../../../web/src/stores/drafts.ts";

describe("the canonical emoji", () => {
  test("is the server's, for every emoji and skin tone of the data set, and each is one RGI emoji", () => {
    let checked = 0;
    for (const item of compact as { unicode: string; skins?: { unicode: string }[] }[]) {
      for (const form of [item.unicode, ...(item.skins ?? []).map((s) => s.unicode)]) {
        const web = canonicalEmoji(form);
        expect({ form, web }).toEqual({ form, web: serverCanonical(form) });
        if (web) {
          expect(/^\p{RGI_Emoji}$/v.test(web)).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(3500);
  });

  test("forgives a variation selector too many or too few, and refuses text", () => {
    expect(canonicalEmoji("👍\uFE0F")).toBe("👍");
    expect(canonicalEmoji("❤")).toBe("❤️");
    for (const text of ["a", ":+1:", "👍👍", "👍 ", "", "\uFE0F", "🇦", "x".repeat(40)]) expect({ text, form: serverCanonical(text) }).toEqual({ text, form: null });
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
