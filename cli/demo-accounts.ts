// The demo's accounts: one per role (<role>@demo.backlight), each given a fresh random password every
// time `npm run demo` starts, printed once for the person running it; and the session secret the demo
// server signs cookies with, kept in the state directory (mode 0600) so a restart keeps sessions.

import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { hashPassword } from "~/.server/auth/passwords.server";
import type { BusinessEvent } from "~/.server/auth/state.server";
import { AppState, stateDirectory, stateLocation } from "~/.server/auth/state.server";
import { generatedPassword } from "~/.server/auth/users.server";
import { ROLES, type Role } from "~/auth/policy";
import { COUNTRIES, HEADCOUNT_CUT, PARTNERS, PREMIUM_LAUNCHED_ON } from "../pipelines/generate/reference.ts";

const PARTNER_NAMES: Record<string, string> = { bouygues_telecom: "Bouygues Telecom", verizon: "Verizon" };

/** The events the generator built the synthetic history around: its partnerships, launches and cuts. */
export function demoEvents(): Omit<BusinessEvent, "id">[] {
  const cut = Object.values(HEADCOUNT_CUT.byCountry).reduce((a, b) => a + b, 0);
  return [
    ...PARTNERS.flatMap((p) => {
      const name = PARTNER_NAMES[p.partner] ?? p.partner;
      return [
        {
          day: p.from,
          label: { "en-GB": `${name} partnership starts`, "fr-FR": `Début du partenariat ${name}` },
          country: p.country,
        },
        {
          day: p.extendedFrom,
          label: { "en-GB": `${name} offer extended`, "fr-FR": `Offre ${name} élargie` },
          country: p.country,
        },
      ];
    }),
    ...COUNTRIES.filter((c) => c.appLaunchedOn).map((c) => ({
      day: c.appLaunchedOn as string,
      label: { "en-GB": `App launch (${c.code})`, "fr-FR": `Lancement de l’appli (${c.code})` },
      country: c.code,
    })),
    {
      day: `${HEADCOUNT_CUT.month}-01`,
      label: {
        "en-GB": `Reorganisation: ${cut} roles cut in Europe`,
        "fr-FR": `Réorganisation : ${cut} postes supprimés en Europe`,
      },
      country: null,
    },
    {
      day: PREMIUM_LAUNCHED_ON,
      label: { "en-GB": "Premium grade launch", "fr-FR": "Lancement du grade Premium" },
      country: null,
    },
  ];
}

export interface DemoAccount {
  role: Role;
  email: string;
  password: string;
}

export async function prepareDemoAccounts(
  dataDir: string,
): Promise<{ accounts: DemoAccount[]; secret: string }> {
  const dir = stateDirectory(dataDir);
  const state = await AppState.open(stateLocation(dir));
  const accounts: DemoAccount[] = [];
  try {
    for (const role of ROLES) {
      const email = `${role}@demo.backlight`;
      const password = generatedPassword();
      const hash = await hashPassword(password);
      const user = await state.userByEmail(email);
      if (!user) await state.addUser(email, role, hash);
      else {
        await state.setPassword(user.id, hash);
        if (user.role !== role) await state.setRole(user.id, role);
        if (user.disabled) await state.setDisabled(user.id, false);
      }
      await state.audit({
        event: user ? "password_reset" : "user_added",
        actor: "demo",
        target: email,
        detail: { role },
      });
      accounts.push({ role, email, password });
    }
    // The synthetic company's business events, once (an admin may then add or remove some on /admin).
    if ((await state.events()).length === 0) for (const e of demoEvents()) await state.addEvent(e, "demo");
  } finally {
    await state.close();
  }
  const file = join(dir, "session-secret");
  let secret = await readFile(file, "utf8").catch(() => "");
  if (secret.trim().length < 32) {
    secret = randomBytes(32).toString("base64url");
    await writeFile(file, secret, { mode: 0o600 });
  }
  return { accounts, secret: secret.trim() };
}
