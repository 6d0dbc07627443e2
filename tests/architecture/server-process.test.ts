// `npm start` cannot import core/server-process.ts (it is a shell line in package.json), so it spells the
// server's Node options and thread pool out: they must stay those every other start uses.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SERVER_NODE_OPTIONS, SERVER_THREADPOOL } from "../../core/server-process";
import { REPO_ROOT } from "../helpers/repo";

describe("npm start", () => {
  const start = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).scripts.start as string;

  it("starts server.js with the options of core/server-process.ts, and the same thread pool", () => {
    expect(start).toBe(
      `UV_THREADPOOL_SIZE=\${UV_THREADPOOL_SIZE:-${SERVER_THREADPOOL}} node ${SERVER_NODE_OPTIONS.join(" ")} server.js`,
    );
  });
});
