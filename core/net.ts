// Loopback ports for the processes the tools start (servers, replicas, PostgreSQL, HAProxy). Node only.

import { createServer } from "node:net";

/** A free TCP port on 127.0.0.1 (free when asked: another process may take it before it listens). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
