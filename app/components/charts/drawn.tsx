// A chart is drawn in the browser only. Recharts sizes a responsive chart by measuring its box, which a
// server cannot do: rendered there, a chart was an empty box anyway (no SVG), yet it cost the chart's
// whole component tree, store and selectors on every first visit (issue 19). So the server sends the
// box at the chart's size, and the chart replaces it as soon as the page is live (at once on a
// client-side navigation). The figure's caption, event list, legend and the section's table stay in
// the server's HTML.
//
// The chart comes as a function, called only once the page is live: what only the drawing needs (its
// scale, end labels, split rows and the tree of recharts elements) is not worked out by the server,
// whose render threw it away, and V8 has less of it to compile there (ADR 0045). The function must not
// call hooks: it runs only on some renders of the same component.

import type { ReactElement } from "react";
import { useHydrated } from "../use-hydrated";

/** The chart once the page is live; until then a box of its height, so nothing moves. */
export function Drawn({ height, children }: { height: number; children: () => ReactElement }) {
  const hydrated = useHydrated();
  if (hydrated) return children();
  return <div className="chart__pending" style={{ width: "100%", height }} aria-hidden="true" />;
}
