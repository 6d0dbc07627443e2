// Business events (issue 21, item 6) as the exports read them: from the server's app state, or, in a
// command-line tool, from the app state it was pointed at (eventsFrom). The charts get theirs from the
// root loader; both read the same table.

import { currentGate } from "./auth/gate.server";
import type { BusinessEvent } from "./auth/state.server";

let fallback: (() => Promise<BusinessEvent[]>) | null = null;

/** Where a process without a server reads the events (the export CLI: the warehouse's app state). */
export function eventsFrom(read: (() => Promise<BusinessEvent[]>) | null): void {
  fallback = read;
}

function allEvents(): Promise<BusinessEvent[]> {
  let gate: ReturnType<typeof currentGate>;
  try {
    gate = currentGate();
  } catch {
    return fallback?.() ?? Promise.resolve([]);
  }
  return gate.state.events();
}

/**
 * The events of a range of days, oldest first: the whole company's, and those of `countries` (null:
 * every country's), as the charts mark them for the same filters.
 */
export async function eventsIn(
  range: { from: string; to: string },
  countries: readonly string[] | null,
): Promise<BusinessEvent[]> {
  return (await allEvents()).filter(
    (e) =>
      e.day >= range.from &&
      e.day <= range.to &&
      (countries === null || e.country === null || countries.includes(e.country)),
  );
}
