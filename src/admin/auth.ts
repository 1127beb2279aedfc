import { createMiddleware } from 'hono/factory';
import type { AppDeps, AppEnv } from '../app-types.ts';
import { problemResponse } from '../http/problem.ts';
import { failureThrottle } from './throttle.ts';

/** SHA-256 hex of a token: what the database keeps instead of the token. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Wrong tokens allowed per client address in the window before the API answers 429. */
export const MAX_AUTH_FAILURES = 20;
const AUTH_FAILURE_WINDOW_MS = 15 * 60 * 1000;

/**
 * Bearer auth for /api/v1: a 401 with WWW-Authenticate unless the token's hash is stored and
 * live; a client that keeps sending wrong tokens is answered 429 for a while.
 */
export function bearerAuth(deps: AppDeps) {
  const throttle = failureThrottle({ limit: MAX_AUTH_FAILURES, windowMs: AUTH_FAILURE_WINDOW_MS });
  const now = () => (deps.now ?? (() => new Date()))().getTime();
  return createMiddleware<AppEnv>(async (c, next) => {
    // Without the client's address there is nothing fair to count by (one shared counter would let anyone lock admins out).
    const client = deps.clientIp?.(c) ?? null;
    const wait = client ? throttle.waitFor(client, now()) : 0;
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return problemResponse(c, 429, 'Too Many Requests', { detail: `too many wrong tokens from this address; try again in ${Math.ceil(wait / 60_000)} min` });
    }
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S{1,512})$/i.exec(header);
    const token = match ? await deps.repos.tokens.byHash(await hashToken(match[1]!)) : null;
    if (!token) {
      // A missing header is a client that has not tried yet, not a guess.
      if (client && match) throttle.fail(client, now());
      c.header('WWW-Authenticate', 'Bearer realm="chapar"');
      return problemResponse(c, 401, 'Unauthorized', { detail: 'send Authorization: Bearer <admin token>' });
    }
    if (client) throttle.succeed(client);
    c.set('tokenId', token.id);
    // Last use is for admins auditing tokens; minute precision spares a write per call.
    if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) await deps.repos.tokens.touch(token.id);
    await next();
  });
}

/** A new admin token: 32 random bytes, base64url. Shown once; only its hash is stored. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `chp_${btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}
