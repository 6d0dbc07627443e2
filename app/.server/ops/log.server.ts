// The server's log (issue 20, item 4): one JSON object per line through pino, on stdout, for whatever
// collects it (journald, a container runtime). Each request's line carries its request id (the
// X-Request-Id header: the proxy's when BACKLIGHT_TRUST_PROXY trusts it, else a new UUID), so a
// proxy's log, this line and the audit log meet. Never a cookie, a token or a query string (an
// unsubscribe link's secret is one): the path, the route, the status, the times and who (user id, role).

import { format } from "node:util";
import pino from "pino";

export const logger = pino({
  level: process.env.BACKLIGHT_LOG_LEVEL || "info",
  base: { service: "backlight", pid: process.pid, replica: process.env.BACKLIGHT_REPLICA || undefined },
  timestamp: pino.stdTimeFunctions.isoTime,
  // "info", not 30: read by people as often as by machines.
  formatters: { level: (label) => ({ level: label }) },
  // Belt and braces: no field of these names is ever written, whoever logs it.
  redact: {
    paths: [
      "cookie",
      "authorization",
      "password",
      "token",
      "*.cookie",
      "*.authorization",
      "*.password",
      "*.token",
    ],
    censor: "[redacted]",
  },
});

/**
 * console.log/warn/error of the app and its libraries as JSON lines too (level info, warn, error): one
 * format for everything the process writes.
 */
export function captureConsole(): void {
  console.log = (...args: unknown[]) => logger.info(format(...args));
  console.info = console.log;
  console.warn = (...args: unknown[]) => logger.warn(format(...args));
  console.error = (...args: unknown[]) => {
    const error = args.find((a): a is Error => a instanceof Error);
    if (error) logger.error({ err: error }, format(...args.filter((a) => a !== error)));
    else logger.error(format(...args));
  };
}

/** A request id from a trusted proxy's header, when it looks like one (else the caller makes one). */
export function requestIdFrom(header: string | undefined, trusted: boolean): string | null {
  return trusted && header && /^[\w.:-]{1,128}$/.test(header) ? header : null;
}
