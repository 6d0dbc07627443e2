// The dashboard's one palette: Okabe–Ito colours (safe for the common colour-vision deficiencies), one
// set per theme. Series also differ by stroke style and carry direct labels, so colour is never the
// only cue. Every chart takes its colours from here.

import { useMediaQuery } from "./narrow";

/** The Okabe–Ito colours by name. */
export const OKABE_ITO = {
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  bluishGreen: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  reddishPurple: "#CC79A7",
  black: "#000000",
} as const;

/**
 * The Okabe–Ito hues darkened just enough to stand 3:1 against the light theme's surfaces (WCAG's
 * non-text contrast; orange, sky blue and yellow are 1.2–2.1:1 on white as they are). Same hues, so the
 * set stays distinguishable under the common colour-vision deficiencies. Checked by palette.test.ts.
 */
export const OKABE_ITO_ON_LIGHT = {
  orange: "#B47D00",
  skyBlue: "#4591BC",
  bluishGreen: "#009970",
  yellow: "#938C29",
  reddishPurple: "#BA6E98",
} as const;

/** Series colours in order, per theme (the dark theme's first colours are the lighter ones). */
export const SERIES = {
  light: [
    OKABE_ITO.blue,
    OKABE_ITO_ON_LIGHT.orange,
    OKABE_ITO_ON_LIGHT.bluishGreen,
    OKABE_ITO_ON_LIGHT.reddishPurple,
    OKABE_ITO_ON_LIGHT.skyBlue,
    OKABE_ITO.vermillion,
    OKABE_ITO_ON_LIGHT.yellow,
    OKABE_ITO.black,
  ],
  dark: [
    OKABE_ITO.skyBlue,
    OKABE_ITO.orange,
    OKABE_ITO.bluishGreen,
    OKABE_ITO.reddishPurple,
    OKABE_ITO.yellow,
    OKABE_ITO.vermillion,
    OKABE_ITO.blue,
    "#ffffff",
  ],
} as const;

/** The i-th series' colour in a theme. */
export function seriesColour(i: number, dark: boolean): string {
  const list = dark ? SERIES.dark : SERIES.light;
  return list[i % list.length] as string;
}

/** A series' colour in a theme: its own (light and dark) when it has one, else the i-th series colour. */
export function colourOf(
  series: { colour?: { light: string; dark: string } },
  i: number,
  dark: boolean,
): string {
  return series.colour ? (dark ? series.colour.dark : series.colour.light) : seriesColour(i, dark);
}

/**
 * Colours with a meaning, per theme: the grades, gains and losses, claimed and actual. Components take
 * them from here (never a raw hex), so that the contrast test sees every colour a chart draws.
 */
export const THEMED = {
  premium: { light: OKABE_ITO.vermillion, dark: OKABE_ITO.orange },
  excellent: { light: OKABE_ITO.blue, dark: OKABE_ITO.skyBlue },
  veryGood: { light: OKABE_ITO_ON_LIGHT.bluishGreen, dark: OKABE_ITO.bluishGreen },
  good: { light: OKABE_ITO_ON_LIGHT.reddishPurple, dark: OKABE_ITO.reddishPurple },
  positive: { light: OKABE_ITO_ON_LIGHT.bluishGreen, dark: OKABE_ITO.bluishGreen },
  negative: { light: OKABE_ITO.vermillion, dark: OKABE_ITO.vermillion },
  claimed: { light: OKABE_ITO_ON_LIGHT.reddishPurple, dark: OKABE_ITO.reddishPurple },
  actual: { light: OKABE_ITO.blue, dark: OKABE_ITO.skyBlue },
} as const;

/** Rollout keeps a country's colour across themes: the light series, the 8th (black) white in the dark. */
export function rolloutColour(i: number, dark: boolean): string {
  return i % SERIES.light.length === 7 && dark ? "#ffffff" : seriesColour(i, false);
}

/** What "worse than promised" is drawn in (battery under 85%, inflated prices), per theme. */
export const WARNING = { light: OKABE_ITO.vermillion, dark: OKABE_ITO.orange } as const;

export const PALETTE = {
  light: { dark: false, current: "#0072B2", comparison: "#B35900", bar: "#0072B2", grid: "#d9dde4" },
  dark: { dark: true, current: "#56B4E9", comparison: "#E69F00", bar: "#56B4E9", grid: "#2c323c" },
} as const;

export function usePalette() {
  return useMediaQuery("(prefers-color-scheme: dark)") ? PALETTE.dark : PALETTE.light;
}

/** Tooltips take the page's surface and text colours in either theme. */
export const TOOLTIP_STYLE = {
  background: "var(--surface)",
  border: "1px solid var(--border)",
  color: "var(--text)",
} as const;
