// Remix options live here; vite.config.ts imports them (see docs/decisions/0001-remix-vite-and-config.md).
/** @type {import('@remix-run/dev').VitePluginConfig} */
export default {
  appDirectory: "app",
  buildDirectory: "build",
  serverModuleFormat: "esm",
  ignoredRouteFiles: ["**/*.test.*", "**/.*"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    // Off: with 17 routes the whole manifest is a few KiB, and discovering routes lazily cost every page
    // a partial manifest (route matching again, ~4% of a first visit's JavaScript time; issue 19) and the
    // browser a /__manifest request per new link. ADR 0040.
    v3_lazyRouteDiscovery: false,
  },
};
