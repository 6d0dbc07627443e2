// A throwaway PostgreSQL server on a loopback port, for the tests and for `npm run cluster`: the app
// state can then live in a real PostgreSQL without a shared, long-lived server to set up or clean. Each
// server gets its own fresh data folder and free port, runs without durability (fsync off: it is thrown
// away), trusts every local connection, and is a child of this process, so it never outlives it for
// long (killed on exit; `stop()` shuts it down and removes its folder).
// initdb and postgres refuse to run as root (as CI on a fresh machine does): then they run as an
// unprivileged user (`postgres` when the Debian package made one, else `nobody`). Node only.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { accessSync, constants, readdirSync, readFileSync, rmSync } from "node:fs";
import { chown, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import pg from "pg";
import { freePort } from "./net.ts";

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

export interface LocalPostgres {
  /** `postgres://backlight@127.0.0.1:<port>/backlight`: superuser `backlight`, no password. */
  url: string;
  port: number;
  /** The data folder (also holds the Unix socket). */
  dir: string;
  /** Fast shutdown (SIGKILL after 10 s), then removes the data folder if startPostgres made it. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Data folder: must be absent or empty. A fresh temp folder (removed by stop) when not given. */
  dir?: string;
  /** Loopback port; a free one when not given. */
  port?: number;
}

const USER = "backlight";
const DATABASE = "backlight";
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const STDERR_LINES = 20;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | null {
  for (const folder of (process.env.PATH ?? "").split(delimiter)) {
    if (folder && executable(join(folder, name))) return join(folder, name);
  }
  return null;
}

/**
 * The PostgreSQL server binaries: on PATH first, else in the highest version of Debian's package layout
 * (`/usr/lib/postgresql/<version>/bin`). null when they are not installed.
 */
export function postgresBinaries(): PostgresBinaries | null {
  const initdb = onPath("initdb");
  const postgres = onPath("postgres");
  if (initdb && postgres) return { initdb, postgres };
  let versions: string[];
  try {
    versions = readdirSync("/usr/lib/postgresql").filter((name) => /^\d+(\.\d+)?$/.test(name));
  } catch {
    return null;
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = `/usr/lib/postgresql/${version}/bin`;
    const found = {
      initdb: join(bin, "initdb"),
      postgres: join(bin, "postgres"),
    };
    if (Object.values(found).every(executable)) return found;
  }
  return null;
}

interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

/** When we are root: the unprivileged user to run the server as (`postgres`, else `nobody`). */
function unprivilegedUser(): RunAs | null {
  let passwd: string;
  try {
    passwd = readFileSync("/etc/passwd", "utf8");
  } catch {
    return null;
  }
  const users = new Map<string, RunAs>();
  for (const line of passwd.split("\n")) {
    const [name, , uid, gid] = line.split(":");
    if (name && uid && gid) users.set(name, { name, uid: Number(uid), gid: Number(gid) });
  }
  return users.get("postgres") ?? users.get("nobody") ?? null;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Why startPostgres cannot work here, in one line; null when it can. */
export function postgresUnavailableReason(): string | null {
  if (!postgresBinaries())
    return "PostgreSQL server binaries (initdb, postgres) not found on PATH nor in /usr/lib/postgresql/*/bin";
  if (isRoot() && !unprivilegedUser())
    return "running as root and neither a postgres nor a nobody user exists to run PostgreSQL as";
  return null;
}

function runInitdb(initdb: string, dir: string, runAs: RunAs | null): Promise<void> {
  const args = ["-D", dir, "-A", "trust", "-U", USER, "--no-sync", "-E", "UTF8", "--locale=C"];
  return new Promise((resolve, reject) => {
    // cwd: the data folder, which the unprivileged user can surely enter (the caller's may not be).
    const options = { cwd: dir, ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}) };
    execFile(initdb, args, options, (error, _stdout, stderr) => {
      const as = runAs ? ` (as ${runAs.name})` : "";
      if (error) reject(new Error(`initdb failed${as}: ${error.message}\n${tail(stderr)}`));
      else resolve();
    });
  });
}

function tail(text: string): string {
  return text
    .split("\n")
    .filter((line) => line.trim())
    .slice(-STDERR_LINES)
    .join("\n");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

interface Server {
  child: ChildProcess;
  stderr: () => string;
  exited: () => boolean;
}

function spawnServer(postgres: string, dir: string, port: number, runAs: RunAs | null): Server {
  const args = ["-D", dir, "-p", String(port), "-k", dir];
  for (const setting of [
    "listen_addresses=127.0.0.1",
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=200",
  ])
    args.push("-c", setting);
  // Spawned as the unprivileged user directly (uid/gid), not through runuser or su: those stay as the
  // parent and ignore SIGINT (util-linux 2.38 waits for its child), so stop() could not ask for a fast
  // shutdown.
  const child = spawn(postgres, args, {
    cwd: dir,
    stdio: ["ignore", "ignore", "pipe"],
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
  });
  // The server logs to stderr: always read it (a full pipe would block the server), keep the end.
  let log = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    log += chunk;
    if (log.length > 64_000) log = log.slice(-32_000);
  });
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  child.on("error", (error) => {
    exited = true;
    log += `\nspawn failed: ${error.message}\n`;
  });
  return { child, stderr: () => tail(log), exited: () => exited };
}

/**
 * A client of the server through its Unix socket, in its own data folder: surely this server, not another
 * that took the port first (the socket appears only once the TCP port is bound).
 */
function socketClient(dir: string, port: number): pg.Client {
  const client = new pg.Client({
    host: dir,
    port,
    user: USER,
    database: "postgres",
    connectionTimeoutMillis: 2_000,
  });
  client.on("error", () => {});
  return client;
}

/** Waits until the server takes connections; false when it exited first or did not within the timeout. */
async function waitReady(server: Server, dir: string, port: number): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !server.exited()) {
    const client = socketClient(dir, port);
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      await client.end().catch(() => {});
      await sleep(50);
    }
  }
  return false;
}

/**
 * Starts a throwaway PostgreSQL server on 127.0.0.1 with a `backlight` database and superuser, trusting
 * every local connection. It is a child of this process, killed when this process exits; call stop()
 * to shut it down and remove its data folder.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<LocalPostgres> {
  const binaries = postgresBinaries();
  if (!binaries) throw new Error(postgresUnavailableReason() ?? "PostgreSQL not found");
  let runAs: RunAs | null = null;
  if (isRoot()) {
    runAs = unprivilegedUser();
    if (!runAs) throw new Error(postgresUnavailableReason() ?? "no unprivileged user to run PostgreSQL as");
  }

  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "backlight-pg-")));
  const removeDir = async () => {
    if (ownDir) await rm(dir, { recursive: true, force: true });
  };
  try {
    await mkdir(dir, { recursive: true });
    if (runAs) await chown(dir, runAs.uid, runAs.gid);
    await runInitdb(binaries.initdb, dir, runAs);
  } catch (error) {
    await removeDir();
    throw error;
  }

  // A port we picked may be taken before the server binds it: then try another, twice.
  let attempt = 0;
  for (;;) {
    attempt++;
    const port = options.port ?? (await freePort());
    const server = spawnServer(binaries.postgres, dir, port, runAs);
    const { child } = server;
    // Dies with us: immediate shutdown (the postmaster stops its backends and frees shared memory).
    const killOnExit = () => {
      child.kill("SIGQUIT");
      if (ownDir) {
        try {
          rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
        } catch {
          // Best effort: the server may still be writing while it goes.
        }
      }
    };
    process.on("exit", killOnExit);
    const shutDown = async () => {
      if (!server.exited()) {
        child.kill("SIGINT");
        if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
          child.kill("SIGKILL");
          await waitForExit(child, STOP_TIMEOUT_MS);
        }
      }
      process.off("exit", killOnExit);
    };

    const ready = await waitReady(server, dir, port);
    if (!ready) {
      const log = server.stderr();
      const what = server.exited()
        ? "exited before accepting connections"
        : `did not accept connections within ${READY_TIMEOUT_MS / 1000} s`;
      await shutDown();
      if (options.port === undefined && attempt < 3 && /could not bind|already in use/i.test(log)) continue;
      await removeDir();
      throw new Error(`PostgreSQL on 127.0.0.1:${port} ${what}; its last lines:\n${log}`);
    }

    const admin = socketClient(dir, port);
    try {
      await admin.connect();
      await admin.query(`CREATE DATABASE ${DATABASE}`);
    } catch (error) {
      await admin.end().catch(() => {});
      await shutDown();
      await removeDir();
      throw error;
    }
    await admin.end();

    let stopping: Promise<void> | undefined;
    return {
      url: `postgres://${USER}@127.0.0.1:${port}/${DATABASE}`,
      port,
      dir,
      stop() {
        stopping ??= shutDown().then(removeDir);
        return stopping;
      },
    };
  }
}
