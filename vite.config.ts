import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import remixConfig from "./remix.config.js";

// DuckDB and SQLite (app state) are native addons: never bundle or pre-optimise them.
const nativeDeps = ["@duckdb/node-api", "@duckdb/node-bindings", "better-sqlite3"];

/** Vite's default build target for browsers (its ESBUILD_MODULES_TARGET, not exported). */
const BROWSERS = ["es2020", "edge88", "firefox78", "chrome87", "safari14"];

export default defineConfig(({ isSsrBuild }) => ({
  plugins: [remix(remixConfig)],
  // The server bundle runs on Node 20: its classes' private fields (#x) stay native. Vite's default
  // target (es2020) rewrote each access as a WeakMap lookup with checks, which the in-memory sums of
  // every first visit pay per row (issue 19). The browser bundle keeps Vite's default. The styles are
  // built for the browsers in both builds (Vite's default CSS target, spelled out): the server's pages
  // link the stylesheet by its content's hash, which must be the one the client build wrote.
  build: { cssTarget: BROWSERS, ...(isSsrBuild ? { target: "node20" } : {}) },
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  ssr: { external: nativeDeps },
  optimizeDeps: { exclude: nativeDeps },
  server: { port: 3000 },
}));
