// The filters of a search query as chips: found in the text the person typed (from:, in:, has:,
// is:, before:, after:, during:), each removable, and quick ones added. Only for display and
// editing: the server parses the query itself (src/search/query-parser.ts) and is the judge.
export type FilterKind = "from" | "in" | "has" | "is" | "before" | "after" | "during";

export interface FilterChip {
  kind: FilterKind;
  /** Without quotes, @ or #. */
  value: string;
  /** As it stands in the query, to remove it. */
  token: string;
}

// At the start or after white space, not excluded with a minus: name:value or name:"quoted value"
// (“typographic” and « French » quotes too, as the server reads them: src/search/query-parser.ts).
const FILTER = /(^|\s)(from|in|has|is|before|after|during):("[^"]*"|“[^”]*”|«[^»]*»|\S+)/gi;
const QUOTED = /^["“«]/;

export function filterChips(query: string): FilterChip[] {
  const chips: FilterChip[] = [];
  for (const match of query.matchAll(FILTER)) {
    const raw = match[3]!;
    const value = QUOTED.test(raw) ? raw.slice(1, -1).trim() : raw.replace(/^[@#]/, "");
    if (value) chips.push({ kind: match[2]!.toLowerCase() as FilterKind, value, token: `${match[2]}:${raw}` });
  }
  return chips;
}

/** The chip for this filter in the query, if it is there (typed by hand or added by a button). */
export function findFilter(query: string, kind: FilterKind, value: string): FilterChip | undefined {
  return filterChips(query).find((c) => c.kind === kind && c.value.toLowerCase() === value.toLowerCase());
}

/** The query without one of its filters, spaces tidied. */
export function withoutFilter(query: string, chip: FilterChip): string {
  const at = query.indexOf(chip.token);
  if (at < 0) return query;
  return `${query.slice(0, at)} ${query.slice(at + chip.token.length)}`.replace(/\s+/g, " ").trim();
}

/** The query with a filter added (a value with spaces is quoted), unless it is there already. */
export function withFilter(query: string, kind: FilterKind, value: string): string {
  if (filterChips(query).some((c) => c.kind === kind && c.value.toLowerCase() === value.toLowerCase())) return query;
  const token = /\s/.test(value) ? `${kind}:"${value.replaceAll('"', "")}"` : `${kind}:${value}`;
  return `${query.trim()} ${token}`.trim();
}

/** The query's words without its filters, for the input when chips show the filters. */
export function textOf(query: string): string {
  return query.replace(FILTER, " ").replace(/\s+/g, " ").trim();
}
