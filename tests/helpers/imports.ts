// The repository's import graph, read statically (TypeScript's pre-processor: no type check, no build):
// which file imports which, and which top-level folder each one lives in.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { REPO_ROOT } from "./repo.ts";

const SOURCE = /\.(ts|tsx|js|mjs)$/;

/** Every source file under `folder` (relative to the repository root), as repository-relative paths. */
export function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(REPO_ROOT, folder), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !SOURCE.test(entry.name)) continue;
    const path = relative(REPO_ROOT, join(entry.parentPath, entry.name));
    if (!path.split("/").includes("node_modules")) files.push(path);
  }
  return files.sort();
}

/**
 * The repository files a source file imports (static, `export … from`, dynamic `import("…")`), as
 * repository-relative paths without extension; packages and `node:` modules are left out.
 */
export function importsOf(file: string): string[] {
  const text = readFileSync(join(REPO_ROOT, file), "utf8");
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const local: string[] = [];
  for (const { fileName } of importedFiles) {
    let target: string;
    if (fileName.startsWith("~/")) target = join("app", fileName.slice(2));
    else if (fileName.startsWith("."))
      target = relative(REPO_ROOT, resolve(REPO_ROOT, dirname(file), fileName));
    else continue;
    local.push(withoutExtension(target));
  }
  return local;
}

export function withoutExtension(path: string): string {
  return path.replace(/\.(ts|tsx|js|mjs)$/, "");
}

/** The top-level folder of a repository path (`app`, `core`, `pipelines`…). */
export function folderOf(path: string): string {
  return path.split("/")[0] ?? path;
}

/** One import cycle of a graph (a path that returns to its start), or null when there is none. */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (node: string): string[] | null => {
    const at = onPath.indexOf(node);
    if (at >= 0) return [...onPath.slice(at), node];
    if (done.has(node)) return null;
    onPath.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    onPath.pop();
    done.add(node);
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}
