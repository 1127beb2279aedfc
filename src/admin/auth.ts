import { createMiddleware } from 'hono/factory';
import type { AppDeps, AppEnv } from '../app-types.ts';
import { problemResponse } from '../http/problem.ts';

/** SHA-256 hex of a token: what the database keeps instead of the token. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Bearer auth for /api/v1: a 401 with WWW-Authenticate unless the token's hash is stored and live. */
export function bearerAuth(deps: AppDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S{1,512})$/i.exec(header);
    const token = match ? await deps.repos.tokens.byHash(await hashToken(match[1]!)) : null;
    if (!token) {
      c.header('WWW-Authenticate', 'Bearer realm="chapar"');
      return problemResponse(c, 401, 'Unauthorized', { detail: 'send Authorization: Bearer <admin token>' });
    }
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
