// The emoji data set (emojibase-data), loaded only when first needed — the picker opens or a
// `:shortcode` is typed — so the first page load does not carry it (~100 KB gzipped per language).
// Names and keywords follow the interface language; shortcodes are GitHub's and emojibase's.
import { canonicalEmoji } from "../../../src/protocol/emoji.ts";
import type { Locale } from "../i18n/index.ts";

export interface EmojiEntry {
  /** The canonical form (what reactions store). */
  emoji: string;
  /** The name in the interface language. */
  label: string;
  /** Category (emojibase group; 2, "components", is left out). */
  group: number;
  /** Lower-case words to search: the label's words, the tags, the shortcodes. */
  terms: string[];
  shortcodes: string[];
}

export interface EmojiData {
  entries: EmojiEntry[];
  groups: number[];
  byShortcode: Map<string, EmojiEntry>;
}

interface CompactEmoji {
  hexcode: string;
  label: string;
  group?: number;
  order?: number;
  tags?: string[];
  unicode: string;
}

type Shortcodes = Record<string, string | string[]>;

const loaders: Record<Locale, () => Promise<[CompactEmoji[], Shortcodes, Shortcodes]>> = {
  en: () =>
    Promise.all([
      import("emojibase-data/en/compact.json").then((m) => m.default as CompactEmoji[]),
      import("emojibase-data/en/shortcodes/github.json").then((m) => m.default as Shortcodes),
      import("emojibase-data/en/shortcodes/emojibase.json").then((m) => m.default as Shortcodes),
    ]),
  fr: () =>
    Promise.all([
      import("emojibase-data/fr/compact.json").then((m) => m.default as CompactEmoji[]),
      // Shortcodes stay the English ones everyone types (:thumbsup:), in both languages.
      import("emojibase-data/en/shortcodes/github.json").then((m) => m.default as Shortcodes),
      import("emojibase-data/fr/shortcodes/emojibase.json").then((m) => m.default as Shortcodes),
    ]),
};

const cache = new Map<Locale, Promise<EmojiData>>();

export function loadEmoji(locale: Locale): Promise<EmojiData> {
  let pending = cache.get(locale);
  if (!pending) {
    pending = loaders[locale]().then(([compact, github, emojibase]) => build(compact, [github, emojibase]));
    // A failed load (offline) may be tried again later.
    pending.catch(() => cache.delete(locale));
    cache.set(locale, pending);
  }
  return pending;
}

function codes(sets: Shortcodes[], hexcode: string): string[] {
  const found = new Set<string>();
  for (const set of sets) {
    const value = set[hexcode];
    for (const code of Array.isArray(value) ? value : value ? [value] : []) found.add(code.toLowerCase());
  }
  return [...found];
}

function build(compact: CompactEmoji[], shortcodeSets: Shortcodes[]): EmojiData {
  const entries: EmojiEntry[] = [];
  const byShortcode = new Map<string, EmojiEntry>();
  const groups = new Set<number>();
  const sorted = [...compact].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  for (const item of sorted) {
    if (item.group === undefined || item.group === 2) continue;
    const emoji = canonicalEmoji(item.unicode);
    if (!emoji) continue;
    const shortcodes = codes(shortcodeSets, item.hexcode);
    const words = item.label.toLowerCase().split(/[\s:,’'-]+/u).filter(Boolean);
    const entry: EmojiEntry = { emoji, label: item.label, group: item.group, shortcodes, terms: [...new Set([...words, ...(item.tags ?? []).map((t) => t.toLowerCase()), ...shortcodes])] };
    entries.push(entry);
    groups.add(item.group);
    for (const code of shortcodes) if (!byShortcode.has(code)) byShortcode.set(code, entry);
  }
  return { entries, groups: [...groups].sort((a, b) => a - b), byShortcode };
}

/**
 * Entries whose name, keywords or shortcodes start with every word of `query`, best first: the name
 * itself, then names with those words, then shortcodes, then keywords (at most `limit`).
 */
export function searchEmoji(data: EmojiData, query: string, limit = 200): EmojiEntry[] {
  const text = query.toLowerCase().trim();
  const words = text.split(/\s+/u).filter(Boolean);
  if (words.length === 0) return [];
  const scored: { entry: EmojiEntry; score: number }[] = [];
  for (const entry of data.entries) {
    if (!words.every((word) => entry.terms.some((term) => term.startsWith(word)))) continue;
    const label = entry.label.toLowerCase();
    const labelWords = label.split(/[\s:,’'-]+/u);
    const score =
      label === text ? 0
      : words.every((word) => labelWords.some((w) => w === word)) ? 1
      : words.every((word) => labelWords.some((w) => w.startsWith(word))) ? 2
      : entry.shortcodes.includes(text) ? 3
      : 4;
    scored.push({ entry, score });
  }
  // Stable: within a score, the data set's order.
  return scored.sort((a, b) => a.score - b.score).slice(0, limit).map((s) => s.entry);
}

/** Entries with a shortcode starting with `prefix` (`:thu` → 👍 first), shortest shortcode first. */
export function completeShortcode(data: EmojiData, prefix: string, limit = 8): { entry: EmojiEntry; code: string }[] {
  const wanted = prefix.toLowerCase();
  const found: { entry: EmojiEntry; code: string }[] = [];
  for (const entry of data.entries) {
    const code = entry.shortcodes.filter((c) => c.startsWith(wanted)).sort((a, b) => a.length - b.length)[0];
    if (code) found.push({ entry, code });
  }
  // Exact and short matches first (":+1" before ":+1_tone1"), then the data set's order.
  return found.sort((a, b) => Number(b.code === wanted) - Number(a.code === wanted) || a.code.length - b.code.length).slice(0, limit);
}
