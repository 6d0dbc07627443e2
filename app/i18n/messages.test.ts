// Every message of every page, in both languages, as a reader would get it: functions called with sample
// arguments. Catches the slips a type checker cannot: a template written `$email` instead of `${email}`
// (shipped once in the French admin page), an English string left in the French table, an empty text.

import { describe, expect, it } from "vitest";
import { LOCALES } from "./locales";

const modules = import.meta.glob<Record<string, unknown>>("./*.ts", { eager: true });

const HEADLINES = (["too_few", "reached", "in", "never"] as const).map((kind) => ({
  where: "Europe",
  positive: 3,
  of: 4,
  latestLabel: "Dec 2024",
  latest: "+€77,228",
  yearBefore: { label: "Dec 2023", value: "-€12,004" },
  trailing12: "-€325,252",
  forecast: { kind, need: 6, have: 2, window: 6, label: "Mar 2025" },
}));

/** Each message as text: strings as they are, functions called with each sample argument they accept. */
function* texts(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === "string") yield [path, value];
  else if (typeof value === "function") {
    // Arguments are numbers, counts as text, months, dates or emails: each message takes one of these.
    let answered = false;
    // A message that takes none of these takes a structure: the executive headline's parts.
    for (const arg of [2, "2", "March 2024", "ann@example.com", ...HEADLINES]) {
      if (answered && typeof arg === "object") break;
      let out: unknown;
      try {
        out = (value as (...a: unknown[]) => unknown)(arg, arg, arg);
      } catch {
        continue;
      }
      answered = true;
      if (typeof out === "string") yield [path, out];
    }
    if (!answered) throw new Error(`${path}: no sample argument gives a message`);
  } else if (value && typeof value === "object")
    for (const [key, child] of Object.entries(value)) yield* texts(child, `${path}.${key}`);
}

describe("every message, in every language", () => {
  const tables = Object.entries(modules).flatMap(([file, exports]) =>
    Object.entries(exports)
      .filter(([name, v]) => name.endsWith("MESSAGES") && v && typeof v === "object")
      .map(([name, v]) => [`${file}:${name}`, v as Record<string, unknown>] as const),
  );

  it("finds the message tables", () => {
    expect(tables.length).toBeGreaterThanOrEqual(6);
  });

  it.each(tables)("%s: no unfilled placeholder, no empty text, every language", (_, table) => {
    for (const locale of LOCALES) {
      expect(table[locale], locale).toBeDefined();
      for (const [path, text] of texts(table[locale], locale)) {
        expect(text, path).not.toMatch(/\$[a-zA-Z{]|\{\{|undefined|NaN|\[object Object\]/);
        // Pieces of a sentence (arrays) may be empty; a whole message may not.
        if (!/\.\d+$/.test(path)) expect(text.trim(), path).not.toBe("");
      }
    }
  });
});
