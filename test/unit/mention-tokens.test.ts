// The `@name` tokens the server looks up (src/mentions/tokens.ts): usernames as people write them,
// never inside code or an e-mail address, `@room` apart, a bounded number per message.
import { describe, expect, test } from "bun:test";
import { mentionTokens } from "../../src/mentions/tokens.ts";
import { MAX_MENTION_TOKENS } from "../../src/protocol.ts";

describe("mention tokens", () => {
  test("finds usernames as written, case-folded, with sentence punctuation tried both ways", () => {
    expect(mentionTokens("hi @Bob, and @carol.").keys).toEqual(["bob", "carol.", "carol"]);
    expect(mentionTokens("(@ann_b) @x.y-z").keys).toEqual(["ann_b", "x.y-z"]);
  });

  test("ignores addresses, code and a lone @", () => {
    expect(mentionTokens("write to ann@example.org or @ alone").keys).toEqual([]);
    expect(mentionTokens("`@bob` and\n```\n@carol\n```\n@dave").keys).toEqual(["dave"]);
  });

  test("@room is the room, not a username", () => {
    expect(mentionTokens("@room meeting").room).toBe(true);
    expect(mentionTokens("@Room!").room).toBe(true);
    expect(mentionTokens("@room").keys).toEqual([]);
    expect(mentionTokens("@roomy").room).toBe(false);
  });

  test(`looks up at most ${MAX_MENTION_TOKENS} names however many are written`, () => {
    const body = Array.from({ length: 400 }, (_, i) => `@user${i}`).join(" ");
    expect(mentionTokens(body).keys.length).toBe(MAX_MENTION_TOKENS);
  });

  test(`looks up at most ${MAX_MENTION_TOKENS} names even when each is tried with and without its final dot`, () => {
    // One plain name first, so the cap is reached between a name's two spellings.
    const body = ["@lead", ...Array.from({ length: 400 }, (_, i) => `@user${i}.`)].join(" ");
    expect(mentionTokens(body).keys.length).toBe(MAX_MENTION_TOKENS);
  });
});
