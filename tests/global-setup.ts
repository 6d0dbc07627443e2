// Vitest global setup: one folder per test run where the app build and the fixture warehouses are made
// once (tests/helpers/run-cache.ts), instead of once per test file; removed when the run ends.
// Nothing is built here: a run of one quick test file should not pay for a build it does not use.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const run = await mkdtemp(join(tmpdir(), "backlight-test-run-"));
  project.provide("backlightTestRun", run);
  return async () => {
    await rm(run, { recursive: true, force: true });
  };
}
