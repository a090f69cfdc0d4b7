// A search result reads as the message does, without its markdown, and the matched words stay
// marked: the ranges move with the text (web/src/search/plain-text.ts).
import { describe, expect, test } from "bun:test";
import { withoutMarkup } from "../../../web/src/search/plain-text.ts";
import { segments } from "../../../web/src/search/segments.ts";

const marked = (text: string, ranges: [number, number][]) => {
  const plain = withoutMarkup(text, ranges);
  return { text: plain.text, marks: segments(plain.text, plain.ranges).filter((s) => s.match).map((s) => s.text) };
};

describe("withoutMarkup", () => {
  test("bold, italics, strike-through and code lose their delimiters; the match still covers its word", () => {
    const body = "We plan the **release** for _Friday_, ~~not~~ `today`";
    const start = body.indexOf("release");
    expect(marked(body, [[start, start + 7]])).toEqual({ text: "We plan the release for Friday, not today", marks: ["release"] });
  });

  test("a match that included the delimiters keeps just the word", () => {
    expect(marked("**release**", [[0, 11]])).toEqual({ text: "release", marks: ["release"] });
  });

  test("identifiers and arithmetic keep their characters: only paired delimiters around text go", () => {
    for (const text of ["ERR_42 and a_b_c", "2*3*4", "snake_case_name", "file_*", "a ** b"]) {
      expect(withoutMarkup(text, []).text).toBe(text);
    }
  });

  test("a quote's marker and a code fence's lines are left out", () => {
    expect(withoutMarkup("> the plan\nok", []).text).toBe("the plan\nok");
    expect(withoutMarkup("```ts\nconst a = 1;\n```", []).text).toBe("\nconst a = 1;\n");
  });

  test("several matches move by what came out before each", () => {
    const body = "**deploy** the *deploy* key";
    expect(marked(body, [[2, 8], [16, 22]])).toEqual({ text: "deploy the deploy key", marks: ["deploy", "deploy"] });
  });
});
