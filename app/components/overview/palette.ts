// Okabe–Ito colours (safe for the common colour-vision deficiencies), one set per theme. Series also
// differ by stroke style and carry direct labels, so colour is never the only cue.

import { useEffect, useState } from "react";

export const PALETTE = {
  light: { dark: false, current: "#0072B2", comparison: "#B35900", bar: "#0072B2", grid: "#d9dde4" },
  dark: { dark: true, current: "#56B4E9", comparison: "#E69F00", bar: "#56B4E9", grid: "#2c323c" },
} as const;

export function usePalette() {
  const [dark, setDark] = useState(false);
  useEffect(() => {
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    setDark(query.matches);
    const onChange = () => setDark(query.matches);
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }, []);
  return dark ? PALETTE.dark : PALETTE.light;
}

/** Tooltips take the page's surface and text colours in either theme. */
export const TOOLTIP_STYLE = {
  background: "var(--surface)",
  border: "1px solid var(--border)",
  color: "var(--text)",
} as const;
