// Data flows one way (landing → pipeline → snapshot → read-only server → page): the app and the
// pipeline never import each other; what both need lives in core/, which imports neither; the
// command-line tools that drive the app's server code (cli/) sit above both. Read statically: fast.

import { describe, expect, it } from "vitest";
import { findCycle, folderOf, importsOf, sourceFiles, withoutExtension } from "../helpers/imports.ts";

/** The folders each folder's files may import from (besides packages and Node's own modules). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  core: ["core"],
  app: ["app", "core"],
  pipelines: ["pipelines", "core"],
  cli: ["cli", "app", "pipelines", "core"],
  bench: ["bench", "app", "pipelines", "core"],
};

function wrongWayImports(folder: string): string[] {
  return sourceFiles(folder).flatMap((file) => {
    // A test beside its module (x.test.ts) may use the shared test helpers too.
    const allowed = [...(MAY_IMPORT[folder] ?? []), ...(/\.test\.tsx?$/.test(file) ? ["tests"] : [])];
    return importsOf(file)
      .filter((target) => !allowed.includes(folderOf(target)))
      .map((target) => `${file} imports ${target}`);
  });
}

describe("imports run one way", () => {
  for (const folder of Object.keys(MAY_IMPORT)) {
    it(`${folder}/ imports only from ${MAY_IMPORT[folder]?.join(", ")}`, () => {
      expect(sourceFiles(folder).length).toBeGreaterThan(0);
      expect(wrongWayImports(folder)).toEqual([]);
    });
  }

  it("bench/ has no import cycle", () => {
    const graph = new Map(
      sourceFiles("bench").map((file) => [
        withoutExtension(file),
        importsOf(file).filter((target) => folderOf(target) === "bench"),
      ]),
    );
    expect(graph.size).toBeGreaterThan(3);
    expect(findCycle(graph)).toBeNull();
  });

  it("finds a cycle when there is one, and none in a chain", () => {
    const cycle = new Map([
      ["run", ["auth", "bars"]],
      ["auth", ["overview"]],
      ["overview", ["run"]],
      ["bars", []],
    ]);
    expect(findCycle(cycle)).toEqual(["run", "auth", "overview", "run"]);
    const chain = new Map([
      ["run", ["auth", "overview"]],
      ["auth", ["overview"]],
      ["overview", []],
    ]);
    expect(findCycle(chain)).toBeNull();
  });

  it("reads every kind of import: static, type-only, re-export, dynamic, the ~ alias", () => {
    // This file's own imports are the smallest known sample.
    expect(importsOf("tests/architecture/import-direction.test.ts")).toEqual(["tests/helpers/imports"]);
    expect(importsOf("app/lib/filters.ts")).toContain("core/contract");
    expect(importsOf("cli/export.ts")).toContain("app/.server/warehouse.server");
  });
});
