// How a Backlight server process is started (npm start, the demo, the cluster's replicas, the benches and
// the tests): one place for the Node options and the environment they all share.

/**
 * Node's options for server.js. V8's young generation at 64 MiB a semi-space instead of 16: ten clients'
 * requests are in flight together, so a request's objects used to outlive two scavenges (every ~60 ms
 * under load) and be copied to the old generation; over the pages bench's 320 first visits the scavenges
 * paused the JavaScript thread 967 ms at 16 MiB, 664 ms at 64 (issue 19). `npm start` (package.json)
 * spells the same option out.
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ["--max-semi-space-size=64"];

/** libuv's pool, shared by DuckDB, scrypt, zlib and file reads: more than its default 4 threads. */
export const SERVER_THREADPOOL = 16;

/** The pool's size for a server started now: UV_THREADPOOL_SIZE when set, else SERVER_THREADPOOL. */
export const serverThreadpool = (): string => process.env.UV_THREADPOOL_SIZE || String(SERVER_THREADPOOL);

/**
 * Sample pages a fresh server renders before it says warm (ADR 0037, ADR 0045, ADR 0046): 480 per dashboard page.
 * BACKLIGHT_WARM_RENDERS overrides it (0: none).
 */
export const DEFAULT_WARM_RENDERS = 3840;
