import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import remixConfig from "./remix.config.js";

// DuckDB and SQLite (app state) are native addons: never bundle or pre-optimise them.
const nativeDeps = ["@duckdb/node-api", "@duckdb/node-bindings", "better-sqlite3"];

export default defineConfig({
  plugins: [remix(remixConfig)],
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  ssr: { external: nativeDeps },
  optimizeDeps: { exclude: nativeDeps },
  server: { port: 3000 },
});
