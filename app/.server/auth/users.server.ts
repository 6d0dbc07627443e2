// Managing accounts, one rule set for the admin page and `npm run users`: each change is checked (a
// real email, a known role, a sound password, never the last admin locked out), applied, and written to
// the audit log with who did it. Passwords and tokens never reach the log.

import { randomBytes } from "node:crypto";
import { isRole, ROLES, type Role } from "~/auth/policy";
import { hashPassword, passwordProblem } from "./passwords.server";
import type { AppState, TokenInfo, User } from "./state.server";

/** A change that cannot be made, said in one sentence. */
export class UserError extends Error {
  override name = "UserError";
}

/** Who makes a change: a signed-in admin (email) or the command line (`cli:<os user>`). */
export interface Actor {
  name: string;
  role?: string | null;
  ip?: string | null;
}

const EMAIL = /^[^\s@<>"'`,;]+@[^\s@<>"'`,;]+\.[^\s@<>"'`,;]+$/;

export function checkEmail(email: string): string {
  const trimmed = email.trim().toLowerCase();
  if (trimmed.length > 254 || !EMAIL.test(trimmed))
    throw new UserError(`"${email.slice(0, 80)}" is not an email address`);
  return trimmed;
}

export function checkRole(role: string): Role {
  if (!isRole(role)) throw new UserError(`role "${role.slice(0, 40)}" is not one of ${ROLES.join(", ")}`);
  return role;
}

async function found(state: AppState, email: string): Promise<User> {
  const user = await state.userByEmail(email.trim().toLowerCase());
  if (!user) throw new UserError(`no account for ${email.slice(0, 80)}`);
  return user;
}

/** At least one admin keeps access: the last active one cannot be demoted or disabled. */
async function keepAnAdmin(state: AppState, user: User): Promise<void> {
  if (user.role !== "admin" || user.disabled) return;
  const admins = (await state.listUsers()).filter((u) => u.role === "admin" && !u.disabled);
  if (admins.length <= 1) throw new UserError(`${user.email} is the last active admin`);
}

/** 20 characters from a 57-letter alphabet without look-alikes (no 0/O, 1/l/I): ~117 bits. */
export function generatedPassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  // 256 is not a multiple of 57: bytes from 228 (4 × 57) up are drawn again, so every letter is as likely.
  const out: string[] = [];
  while (out.length < 20)
    for (const b of randomBytes(32)) if (b < 228 && out.length < 20) out.push(alphabet[b % 57] as string);
  return out.join("");
}

const who = (actor: Actor) => ({ actor: actor.name, role: actor.role ?? null, ip: actor.ip ?? null });

export async function addUser(state: AppState, actor: Actor, email: string, role: string, password: string) {
  const address = checkEmail(email);
  const chosen = checkRole(role);
  const problem = passwordProblem(password, address);
  if (problem) throw new UserError(problem);
  if (await state.userByEmail(address)) throw new UserError(`${address} already has an account`);
  const user = await state.addUser(address, chosen, await hashPassword(password));
  await state.audit({ event: "user_added", ...who(actor), target: address, detail: { role: chosen } });
  return user;
}

export async function setRole(state: AppState, actor: Actor, email: string, role: string): Promise<User> {
  const user = await found(state, email);
  const chosen = checkRole(role);
  if (user.role === chosen) return user;
  await keepAnAdmin(state, user);
  await state.setRole(user.id, chosen);
  await state.audit({
    event: "role_changed",
    ...who(actor),
    target: user.email,
    detail: { from: user.role, to: chosen },
  });
  return { ...user, role: chosen };
}

export async function setDisabled(
  state: AppState,
  actor: Actor,
  email: string,
  disabled: boolean,
): Promise<User> {
  const user = await found(state, email);
  if (user.disabled === disabled) return user;
  if (disabled) await keepAnAdmin(state, user);
  await state.setDisabled(user.id, disabled);
  await state.audit({
    event: disabled ? "user_disabled" : "user_enabled",
    ...who(actor),
    target: user.email,
  });
  return { ...user, disabled };
}

export async function resetPassword(state: AppState, actor: Actor, email: string, password: string) {
  const user = await found(state, email);
  const problem = passwordProblem(password, user.email);
  if (problem) throw new UserError(problem);
  await state.setPassword(user.id, await hashPassword(password));
  await state.audit({ event: "password_reset", ...who(actor), target: user.email });
}

export async function createToken(state: AppState, actor: Actor, email: string, label: string) {
  const user = await found(state, email);
  if (user.disabled) throw new UserError(`${user.email} is disabled`);
  const name = label.trim().slice(0, 80) || "API token";
  const created = await state.createToken(user.id, name);
  await state.audit({
    event: "token_created",
    ...who(actor),
    target: user.email,
    detail: { tokenId: created.info.id, label: name, prefix: created.info.prefix },
  });
  return created;
}

export async function revokeToken(state: AppState, actor: Actor, id: number): Promise<TokenInfo> {
  const token = await state.tokenById(id);
  if (!token) throw new UserError(`no token ${id}`);
  if (!(await state.revokeToken(id))) throw new UserError(`token ${id} was revoked already`);
  await state.audit({
    event: "token_revoked",
    ...who(actor),
    target: token.email,
    detail: { tokenId: id, label: token.label },
  });
  return token;
}
