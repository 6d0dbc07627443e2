// Password hashes: scrypt from Node's crypto (no native dependency), N=2^15, r=8, p=3 — one of OWASP's
// listed scrypt settings, 32 MiB of memory per hash, ~280 ms on this project's 2-core machines (the
// sign-in bar is 100–500 ms; N=2^17 with p=1 took ~400 ms, too close to the top under load). The
// parameters are stored with each hash, so raising them later rehashes users as they sign in.

import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { PASSWORD_MAX, PASSWORD_MIN } from "~/auth/policy";

export const SCRYPT = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** Passwords are bounded both ways (~/auth/policy.ts): long enough to resist guessing, short enough to hash cheaply. */

export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN) return `a password needs at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `a password has at most ${PASSWORD_MAX} characters`;
  if (/[\0\r\n]/.test(password)) return "a password cannot contain line breaks or NUL";
  if (email && password.toLowerCase() === email.toLowerCase()) return "a password cannot be the email";
  return null;
}

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }) {
  return new Promise<Buffer>((resolve, reject) => {
    // maxmem: 128·N·r·p would be enough for p lanes run one after the other; leave headroom.
    const maxmem = 256 * params.N * params.r + 1024 * 1024;
    scrypt(password.normalize("NFC"), salt, KEY_BYTES, { ...params, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, SCRYPT);
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64url"), key.toString("base64url")].join(
    "$",
  );
}

interface Parsed {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): Parsed | null {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !key) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(params).every((v) => Number.isInteger(v) && v > 0)) return null;
  return { ...params, salt: Buffer.from(salt, "base64url"), key: Buffer.from(key, "base64url") };
}

/** A hash of nothing anyone knows: unknown accounts are checked against it, so they take as long. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(24).toString("base64url"));
  return decoy;
}

export interface Verified {
  ok: boolean;
  /** The hash was made with weaker parameters than today's: store a new one. */
  rehash: boolean;
}

export async function verifyPassword(password: string, stored: string | null): Promise<Verified> {
  const parsed = parse(stored ?? (await decoyHash())) ?? parse(await decoyHash());
  if (!parsed) return { ok: false, rehash: false };
  const key = await derive(password, parsed.salt, parsed);
  const ok = stored !== null && key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  const rehash = ok && (parsed.N < SCRYPT.N || parsed.r < SCRYPT.r || parsed.p < SCRYPT.p);
  return { ok, rehash };
}
