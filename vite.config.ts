import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import remixConfig from "./remix.config.js";

// DuckDB is a native addon: never bundle or pre-optimise it.
const nativeDeps = ["@duckdb/node-api", "@duckdb/node-bindings"];

export default defineConfig({
  plugins: [remix(remixConfig)],
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  ssr: { external: nativeDeps },
  optimizeDeps: { exclude: nativeDeps },
  server: { port: 3000 },
});
