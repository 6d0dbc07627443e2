import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Kept apart from vite.config.ts so tests do not load the Remix plugin.
export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: [
      "app/**/*.test.ts",
      "core/**/*.test.ts",
      "pipelines/**/*.test.ts",
      "cli/**/*.test.ts",
      "tests/**/*.test.ts",
    ],
    // Builds the app and the fixture warehouses once per run, not once per file (tests/helpers/run-cache.ts).
    globalSetup: ["tests/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Tests share built fixtures and a 2-core machine: run files one at a time.
    fileParallelism: false,
    pool: "forks",
  },
});
