// Whether the page is live: false while the server renders and while the browser hydrates that HTML (so
// both draw the same thing), true from then on, and at once after a client-side navigation. For what
// the server leaves to the browser: charts (which it cannot size) and the rows of a table below its
// region's first screen.

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
