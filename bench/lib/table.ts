// Plain-text table: columns padded to their widest cell, numbers right-aligned.

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((row) => (row[col] ?? "").length)));
  const numeric = (text: string) => /^[-+]?[\d.,]+\s*(×|%|ms|µs|KiB|MiB|\/s)?$/.test(text.trim());
  const line = (cells: string[]) =>
    cells
      .map((cell, col) => (numeric(cell) ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** A number for people: thousands separated, at most `digits` decimals. */
export function fmt(value: number | undefined, digits = 0): string {
  if (value === undefined || Number.isNaN(value)) return "—";
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
