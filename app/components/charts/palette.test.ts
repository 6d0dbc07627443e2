// Every colour a chart draws stands at least 3:1 against the surfaces it is drawn on, in both themes
// (WCAG 2.2, 1.4.11 non-text contrast). The backgrounds are read from the stylesheet, so a change of
// theme colours is checked too.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PALETTE, rolloutColour, SERIES, THEMED, WARNING } from "./palette";

const css = readFileSync(new URL("../../styles/app.css", import.meta.url), "utf8");
const darkBlock = css.slice(css.indexOf("@media (prefers-color-scheme: dark)"));
const token = (block: string, name: string) => {
  const found = block.match(new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`))?.[1];
  if (!found) throw new Error(`--${name} not found in app.css`);
  return found;
};
/** Charts sit on cards (--surface); a few on the page itself (--bg). */
const BACKGROUNDS = {
  light: [token(css, "surface"), token(css, "bg")],
  dark: [token(darkBlock, "surface"), token(darkBlock, "bg")],
};

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const colours = (theme: "light" | "dark"): [string, string][] => [
  ...SERIES[theme].map((c, i): [string, string] => [`series ${i + 1}`, c]),
  ...(["current", "comparison", "bar"] as const).map((k): [string, string] => [k, PALETTE[theme][k]]),
  ["warning", WARNING[theme]],
  ...Object.entries(THEMED).map(([name, pair]): [string, string] => [name, pair[theme]]),
  ...Array.from({ length: 8 }, (_, i): [string, string] => [
    `rollout ${i + 1}`,
    rolloutColour(i, theme === "dark"),
  ]),
];

describe("chart colours against the theme backgrounds", () => {
  it("computes WCAG contrast ratios as the standard's examples give them", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
    // Okabe–Ito orange on white: why the light theme darkens it.
    expect(contrast("#E69F00", "#ffffff")).toBeLessThan(3);
  });

  for (const theme of ["light", "dark"] as const)
    it(`every series colour is at least 3:1 in the ${theme} theme`, () => {
      const failing = colours(theme).flatMap(([name, colour]) =>
        BACKGROUNDS[theme]
          .map((bg) => ({ name, colour, bg, ratio: Number(contrast(colour, bg).toFixed(2)) }))
          .filter((c) => c.ratio < 3),
      );
      expect(failing).toEqual([]);
    });
});
