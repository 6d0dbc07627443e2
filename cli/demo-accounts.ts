// The demo's accounts: one per role (<role>@demo.backlight), each given a fresh random password every
// time `npm run demo` starts, printed once for the person running it; and the session secret the demo
// server signs cookies with, kept in the state directory (mode 0600) so a restart keeps sessions.

import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { hashPassword } from "~/.server/auth/passwords.server";
import { AppState, stateDirectory } from "~/.server/auth/state.server";
import { generatedPassword } from "~/.server/auth/users.server";
import { ROLES, type Role } from "~/auth/policy";

export interface DemoAccount {
  role: Role;
  email: string;
  password: string;
}

export async function prepareDemoAccounts(
  dataDir: string,
): Promise<{ accounts: DemoAccount[]; secret: string }> {
  const dir = stateDirectory(dataDir);
  const state = new AppState(dir);
  const accounts: DemoAccount[] = [];
  try {
    for (const role of ROLES) {
      const email = `${role}@demo.backlight`;
      const password = generatedPassword();
      const hash = await hashPassword(password);
      const user = state.userByEmail(email);
      if (!user) state.addUser(email, role, hash);
      else {
        state.setPassword(user.id, hash);
        if (user.role !== role) state.setRole(user.id, role);
        if (user.disabled) state.setDisabled(user.id, false);
      }
      state.audit({
        event: user ? "password_reset" : "user_added",
        actor: "demo",
        target: email,
        detail: { role },
      });
      accounts.push({ role, email, password });
    }
  } finally {
    state.close();
  }
  const file = join(dir, "session-secret");
  let secret = await readFile(file, "utf8").catch(() => "");
  if (secret.trim().length < 32) {
    secret = randomBytes(32).toString("base64url");
    await writeFile(file, secret, { mode: 0o600 });
  }
  return { accounts, secret: secret.trim() };
}
