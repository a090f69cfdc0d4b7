// The interface language: English or French, chosen from the browser and switchable on the
// dashboard (remembered in localStorage). Every string the interface shows comes from a catalogue.
import { createSignal } from "solid-js";
import { en, type MessageKey, type Messages } from "./en.ts";
import { fr } from "./fr.ts";
import { elide } from "./elision.ts";

export type Locale = "en" | "fr";
export const LOCALES: readonly Locale[] = ["en", "fr"];
const CATALOGUES: Record<Locale, Messages> = { en, fr };
const STORAGE_KEY = "vaultroom.locale";

function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === "en" || stored === "fr") return stored;
  } catch {
    // Storage can be unavailable (private modes); the browser language still applies.
  }
  const languages = typeof navigator === "undefined" ? [] : [...(navigator.languages ?? []), navigator.language];
  for (const language of languages) {
    const base = typeof language === "string" ? language.toLowerCase().split("-")[0] : undefined;
    if (base === "fr" || base === "en") return base;
  }
  return "en";
}

const [locale, setLocaleSignal] = createSignal<Locale>(initialLocale());
if (typeof document !== "undefined") document.documentElement.lang = locale();

export { locale };

export function setLocale(next: Locale): void {
  setLocaleSignal(next);
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, but the switch still applies to this tab.
  }
}

export type Params = Record<string, string | number>;

/** Fills `{name}` placeholders; values are inserted as text by the caller, never as HTML. */
export function format(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function t(key: MessageKey, params?: Params): string {
  const template = CATALOGUES[locale()][key];
  return format(locale() === "fr" && params ? elide(template, params) : template, params);
}

type PluralBase<K> = K extends `${infer B}.one` ? B : never;
export type PluralKey = PluralBase<MessageKey>;

/** A message with `.one` / `.other` forms picked by the language's plural rules ({count} filled in). */
export function tn(base: PluralKey, count: number, params: Params = {}): string {
  const form = new Intl.PluralRules(locale()).select(count) === "one" ? "one" : "other";
  return t(`${base}.${form}` as MessageKey, { count: formatNumber(count), ...params });
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(locale()).format(value);
}

export function formatTime(timestamp: number): string {
  // timeStyle, as formatDateTime uses: a message's time reads the same in its text and its tooltip
  // (French "08:05" both times, not "8:05" beside "08:05").
  return new Intl.DateTimeFormat(locale(), { timeStyle: "short" }).format(timestamp);
}

/**
 * Intl's text, with French's ordinal first day: "1er décembre", as French typography writes it
 * (Intl gives "1 décembre"); every other day is a cardinal in French.
 */
function dateText(options: Intl.DateTimeFormatOptions, timestamp: number): string {
  const format = new Intl.DateTimeFormat(locale(), options);
  if (locale() !== "fr") return format.format(timestamp);
  return format
    .formatToParts(timestamp)
    .map((part) => (part.type === "day" && part.value === "1" ? "1er" : part.value))
    .join("");
}

export function formatDateTime(timestamp: number): string {
  return dateText({ dateStyle: "medium", timeStyle: "short" }, timestamp);
}

export function formatDate(timestamp: number): string {
  return dateText({ dateStyle: "long" }, timestamp);
}

export function formatDay(timestamp: number, now = Date.now()): string {
  const day = new Date(timestamp).toDateString();
  if (day === new Date(now).toDateString()) return t("time.today");
  if (day === new Date(now - 86_400_000).toDateString()) return t("time.yesterday");
  return dateText({ weekday: "long", day: "numeric", month: "long", year: "numeric" }, timestamp);
}

/** Sizes in IEC units (1 KiB = 1024 bytes), named as such: "MB" would claim powers of 1000. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(locale(), { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${t(`unit.${units[unit]!}`)}`;
}
