// A chart is drawn in the browser only. Recharts sizes a responsive chart by measuring its box, which a
// server cannot do: rendered there, a chart was an empty box anyway (no SVG), yet it cost the chart's
// whole component tree, store and selectors on every first visit (issue 19). So the server sends the
// box at the chart's size, and the chart replaces it as soon as the page is live (at once on a
// client-side navigation). The figure's caption, event list, legend and the section's table stay in
// the server's HTML.

import type { CSSProperties, ReactElement } from "react";
import { useHydrated } from "../use-hydrated";

/** The chart once the page is live; until then a box of its size (its `style`), so nothing moves. */
export function Drawn({ children }: { children: ReactElement<{ style?: CSSProperties }> }) {
  const hydrated = useHydrated();
  if (hydrated) return children;
  return <div className="chart__pending" style={children.props.style} aria-hidden="true" />;
}
