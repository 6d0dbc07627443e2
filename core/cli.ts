// Shared CLI behaviour: one readable line and a non-zero exit for bad input, never a stack trace;
// a live status line on a terminal, plain lines otherwise.

import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A problem with what the user typed: reported as one line with the usage, exit code 2. */
export class UsageError extends Error {}

/** An expected failure (bad data, refused batch…): reported as one line, exit code 1. */
export class CliError extends Error {}

export type Progress = (line: string | null) => void;

/** A live status line on a terminal; nothing otherwise (logs get the commands' summary lines instead). */
function makeProgress(): Progress {
  const tty = process.stderr.isTTY;
  const started = performance.now();
  let shown = false;
  return (line) => {
    if (!tty) return;
    if (line === null) {
      if (shown) process.stderr.write("\r\x1b[K");
      shown = false;
      return;
    }
    const elapsed = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(`\r\x1b[K${line}  ${elapsed} s`);
    shown = true;
  };
}

export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

export function runCli(
  moduleUrl: string,
  usage: string,
  main: (argv: string[], progress: Progress) => Promise<void>,
): void {
  if (!isMain(moduleUrl)) return;
  // A reader that stops early (`| head`) is not an error: stop quietly instead of a stack trace.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const progress = makeProgress();
  main(process.argv.slice(2), progress).then(
    () => {
      progress(null);
    },
    (error: unknown) => {
      progress(null);
      if (
        error instanceof UsageError ||
        (error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))
      ) {
        process.stderr.write(`error: ${error.message}\n${usage}\n`);
        process.exit(2);
      }
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`error: ${message.split("\n")[0]}\n`);
      if (process.env.BACKLIGHT_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exit(1);
    },
  );
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-GB");
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
