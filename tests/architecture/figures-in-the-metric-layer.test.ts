// Every figure comes from the metric layer (app/metrics/, app/.server/metrics/): a page module that
// divided or rounded numbers itself would make a second definition of a ratio or a second rounding
// rule. This test reads the page modules' syntax and fails on any division, Math.round/floor/ceil or
// toFixed in them. A division that is not a figure (a chart's geometry, milliseconds) says so with a
// `not a figure:` comment on its line or the line above, which a reviewer can judge.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/repo";

/** The page modules: they arrange figures, never compute them. */
const PAGE_MODULES = [
  "app/.server/overview.server.ts",
  "app/.server/regions.server.ts",
  "app/.server/profitability.server.ts",
  "app/.server/export/views.server.ts",
  "app/.server/quality.server.ts",
  "app/.server/pricing.server.ts",
  "app/.server/rollout.server.ts",
  "app/.server/channels.server.ts",
  "app/.server/market.server.ts",
  ...readdirSync(join(REPO_ROOT, "app/.server/sections")).map((f) => `app/.server/sections/${f}`),
];

const ROUNDING = new Set(["round", "floor", "ceil", "trunc"]);

function offences(file: string, text = readFileSync(join(REPO_ROOT, file), "utf8")): string[] {
  const lines = text.split("\n");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const excused = (line: number) =>
    /not a figure:/.test(lines[line] ?? "") || /not a figure:/.test(lines[line - 1] ?? "");
  const visit = (node: ts.Node) => {
    let what: string | null = null;
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.SlashToken ||
        node.operatorToken.kind === ts.SyntaxKind.SlashEqualsToken)
    )
      what = "a division";
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const { expression, name } = node.expression;
      if (ts.isIdentifier(expression) && expression.text === "Math" && ROUNDING.has(name.text))
        what = `Math.${name.text}`;
      if (name.text === "toFixed") what = "toFixed";
    }
    if (what) {
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line;
      if (!excused(line)) found.push(`${file}:${line + 1}: ${what}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("figures come from the metric layer", () => {
  it("finds no division or rounding in the page modules", () => {
    expect(PAGE_MODULES.flatMap((file) => offences(file))).toEqual([]);
  });

  it("would notice one", () => {
    // A module with a ratio and a rounding of its own is caught; an excused geometry division is not.
    const probe = "const a = gmv / devices;\n// not a figure: pixels\nconst w = width / 2;\nMath.round(x);\n";
    expect(offences("probe.ts", probe)).toEqual(["probe.ts:1: a division", "probe.ts:4: Math.round"]);
  });
});
