// npm run users -- <command>: accounts, roles and API tokens of the dashboard, in the app state: next to
// the warehouse (<data dir>/state, or BACKLIGHT_STATE_DIR: SQLite), or in PostgreSQL when
// BACKLIGHT_STATE_URL is set (as for the servers). Safe while servers run. `migrate` only brings the
// store's schema up to date (every command, and every server at start, does so too).
// Passwords are read from standard input (a prompt without echo on a terminal), never from arguments.

import { userInfo } from "node:os";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import {
  AppState,
  AUDIT_EVENTS,
  type AuditEvent,
  stateDirectory,
  stateLocation,
} from "~/.server/auth/state.server";
import {
  addUser,
  checkEmail,
  checkRole,
  createToken,
  resetPassword,
  revokeToken,
  setDisabled,
  setRole,
  UserError,
} from "~/.server/auth/users.server";
import { ROLES } from "~/auth/policy";
import { CliError, runCli, UsageError } from "../core/cli.ts";

const USAGE = `usage: npm run users -- <command> [--data-dir <dir>]
  add <email> --role <${ROLES.join("|")}>   password from standard input
  list
  set-role <email> <role>
  disable <email> | enable <email>
  reset-password <email>                 password from standard input
  token <email> [--label <text>]         prints a new API token (shown once)
  tokens [<email>]
  revoke-token <id>
  audit [--limit <n>] [--event <event>]
  migrate                                applies the app state's migrations (also done at every start)
The app state: BACKLIGHT_STATE_URL (postgres://…) when set, else SQLite in <data dir>/state.`;

/** One line from standard input: typed without echo on a terminal (twice), or piped. */
async function readPassword(confirm: boolean): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = "";
    for await (const chunk of process.stdin) text += chunk;
    const line = text.split(/\r?\n/)[0] ?? "";
    if (!line) throw new UsageError("no password on standard input");
    return line;
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      // Echo nothing of what is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.startsWith(prompt)) process.stderr.write(prompt);
      };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stderr.write("\n");
        resolve(answer);
      });
    });
  const first = await ask("Password: ");
  if (confirm && (await ask("Again: ")) !== first) throw new CliError("the two passwords differ");
  return first;
}

const when = (ms: number | null) =>
  ms === null ? "—" : new Date(ms).toISOString().slice(0, 16).replace("T", " ");

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

runCli(import.meta.url, USAGE, async (argv) => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      "data-dir": { type: "string" },
      role: { type: "string" },
      label: { type: "string" },
      limit: { type: "string" },
      event: { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
  const [command, ...rest] = positionals;
  if (!command) throw new UsageError("which command?");
  const actor = { name: `cli:${userInfo().username}` };
  let state: AppState;
  try {
    state = await AppState.open(stateLocation(stateDirectory(values["data-dir"])));
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  const arg = (n: number, what: string) => {
    const value = rest[n];
    if (!value) throw new UsageError(`${command} needs ${what}`);
    return value;
  };
  try {
    switch (command) {
      case "add": {
        const email = checkEmail(arg(0, "an email"));
        if (!values.role) throw new UsageError(`add needs --role <${ROLES.join("|")}>`);
        checkRole(values.role);
        if (await state.userByEmail(email)) throw new UserError(`${email} already has an account`);
        const user = await addUser(state, actor, email, values.role, await readPassword(true));
        console.log(`added ${user.email} (${user.role})`);
        break;
      }
      case "migrate":
        console.log(`app state up to date (${state.kind}: ${state.location})`);
        break;
      case "list":
        console.log(
          table([
            ["email", "role", "status", "last sign-in", "created"],
            ...(await state.listUsers()).map((u) => [
              u.email,
              u.role,
              u.disabled ? "disabled" : "active",
              when(u.lastSignInAt),
              when(u.createdAt),
            ]),
          ]),
        );
        break;
      case "set-role": {
        const user = await setRole(
          state,
          actor,
          arg(0, "an email"),
          rest[1] ?? values.role ?? arg(1, "a role"),
        );
        console.log(`${user.email} is now ${user.role}`);
        break;
      }
      case "disable":
      case "enable": {
        const user = await setDisabled(state, actor, arg(0, "an email"), command === "disable");
        console.log(`${user.email} is ${user.disabled ? "disabled (signed out everywhere)" : "enabled"}`);
        break;
      }
      case "reset-password": {
        const email = arg(0, "an email");
        if (!(await state.userByEmail(email.trim().toLowerCase())))
          throw new UserError(`no account for ${email}`);
        await resetPassword(state, actor, email, await readPassword(true));
        console.log(`new password set for ${email} (signed out everywhere)`);
        break;
      }
      case "token": {
        const { token, info } = await createToken(state, actor, arg(0, "an email"), values.label ?? "");
        process.stderr.write(
          `token ${info.id} for ${info.email} (${info.label}); shown once, keep it secret:\n`,
        );
        console.log(token);
        break;
      }
      case "tokens": {
        const email = rest[0];
        const user = email ? await state.userByEmail(email.trim().toLowerCase()) : null;
        if (email && !user) throw new UserError(`no account for ${email}`);
        console.log(
          table([
            ["id", "email", "label", "starts with", "created", "last used", "revoked"],
            ...(await state.listTokens(user?.id)).map((t) => [
              String(t.id),
              t.email,
              t.label,
              `${t.prefix}…`,
              when(t.createdAt),
              when(t.lastUsedAt),
              when(t.revokedAt),
            ]),
          ]),
        );
        break;
      }
      case "revoke-token": {
        const id = Number(arg(0, "a token id"));
        if (!Number.isInteger(id) || id <= 0) throw new UsageError(`"${rest[0]}" is not a token id`);
        const token = await revokeToken(state, actor, id);
        console.log(`token ${id} of ${token.email} revoked`);
        break;
      }
      case "audit": {
        const limit = Number(values.limit ?? "50");
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
          throw new UsageError("--limit must be 1 to 10000");
        if (values.event && !(AUDIT_EVENTS as readonly string[]).includes(values.event))
          throw new UsageError(`--event must be one of ${AUDIT_EVENTS.join(", ")}`);
        const entries = await state.readAudit({ limit, event: values.event as AuditEvent | undefined });
        console.log(
          table([
            ["at (UTC)", "event", "who", "role", "ip", "target", "detail"],
            ...entries.map((e) => [
              new Date(e.at).toISOString().replace("T", " ").slice(0, 19),
              e.event,
              e.actor ?? "",
              e.role ?? "",
              e.ip ?? "",
              e.target ?? "",
              JSON.stringify(e.detail),
            ]),
          ]),
        );
        break;
      }
      default:
        throw new UsageError(`unknown command "${command.slice(0, 40)}"`);
    }
  } catch (error) {
    if (error instanceof UserError) throw new CliError(error.message);
    throw error;
  } finally {
    await state.close();
  }
});
