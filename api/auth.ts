import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from '../config/config.ts';

/** Who is calling: a role, and an actor label for logs and the SQL audit (never the token itself). */
export interface Principal {
  readonly role: Role;
  readonly actor: string;
}

/** With no tokens configured the server is open (loopback only) and everyone acts as admin. */
export const OPEN_PRINCIPAL: Principal = { role: 'admin', actor: 'open' };

const digest = (s: string) => createHash('sha256').update(s).digest();

/** A short, stable, non-reversible label of a token for logs. */
export function tokenFingerprint(token: string): string {
  return digest(token).toString('hex').slice(0, 8);
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

/**
 * Finds the role of a presented token. Every configured token is compared, each in
 * constant time over equal-length digests, so neither the match nor its position leaks
 * through timing.
 */
export function authenticate(tokens: ReadonlyMap<string, Role>, header: string | undefined): Principal | 'missing' | 'invalid' {
  if (tokens.size === 0) return OPEN_PRINCIPAL;
  const token = bearerToken(header);
  if (token === undefined) return 'missing';
  const presented = digest(token);
  let found: Role | undefined;
  for (const [candidate, role] of tokens) {
    if (timingSafeEqual(presented, digest(candidate)) && found === undefined) found = role;
  }
  return found ? { role: found, actor: `${found}:${tokenFingerprint(token)}` } : 'invalid';
}

/** True when `role` may use a route open to `allowed` (admin may use every route). */
export function roleAllowed(role: Role, allowed: readonly Role[]): boolean {
  return role === 'admin' || allowed.includes(role);
}

/** Constant-time equality of two strings (for verify tokens and signatures). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** True when `host` is a loopback address, where an open (token-less) server may listen. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
