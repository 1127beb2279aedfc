/** Who may see the admin pages: session loading, the sign-in redirect, and the per-session CSRF check. */
import type { Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppDeps } from '../../app-types.ts';
import type { PagesEnv } from './env.ts';
import { one, readForm } from './forms.ts';
import { SESSION_TTL_MS, randomToken, sessionSigner, type SessionSigner } from './session.ts';

export const SESSION_COOKIE = 'chapar_session';
export const LOGIN_COOKIE = 'chapar_login';

export interface Keyring {
  signer(): Promise<SessionSigner>;
  cookie(c: Context, maxAgeSeconds?: number): CookieOptions;
}

/** The session signer, built once per app from the key in `settings` (created on first use). */
export function keyring(deps: AppDeps): Keyring {
  let signer: Promise<SessionSigner> | undefined;
  const secureBase = deps.config.baseUrl.startsWith('https:');
  return {
    signer() {
      signer ??= deps.repos.tokens
        .sessionKey(randomToken(32))
        .then(sessionSigner)
        .catch((error: unknown) => {
          signer = undefined;
          throw error;
        });
      return signer;
    },
    cookie(c, maxAgeSeconds) {
      // Secure whenever the admin is reached over https, directly or behind a TLS-terminating proxy.
      const secure = secureBase || new URL(c.req.url).protocol === 'https:';
      return { path: '/admin', httpOnly: true, sameSite: 'Strict', secure, ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }) };
    },
  };
}

/** Sets `session` (or null) and the session's CSRF token; a stale or forged cookie is dropped. */
export function loadSession(deps: AppDeps, keys: Keyring) {
  const now = deps.now ?? (() => new Date());
  return createMiddleware<PagesEnv>(async (c, next) => {
    c.set('session', null);
    const value = getCookie(c, SESSION_COOKIE);
    if (value !== undefined) {
      const signer = await keys.signer();
      const session = await signer.verify(value, now());
      const token = session ? await deps.repos.tokens.liveById(session.tokenId) : null;
      // Signing out voids every session of the token issued until then, not just this cookie.
      const current = session && token ? session.expiresAt - SESSION_TTL_MS > (await deps.repos.tokens.signedOutAt(token.id)) : false;
      if (session && token && current) {
        c.set('session', session);
        c.set('tokenId', token.id);
        c.set('csrf', await signer.csrfToken('session', session.nonce));
      } else {
        deleteCookie(c, SESSION_COOKIE, keys.cookie(c));
      }
    }
    await next();
  });
}

/** Only paths under /admin, so a crafted `next` cannot send the admin elsewhere after sign-in. */
export function safeNext(next: string | undefined): string {
  if (!next || !/^\/admin(?:[/?][^\s\\]*)?$/.test(next) || next.startsWith('/admin/log')) return '/admin';
  return next;
}

export const requireSession = createMiddleware<PagesEnv>(async (c, next) => {
  if (c.get('session')) return next();
  const url = new URL(c.req.url);
  const back = c.req.method === 'GET' ? `?next=${encodeURIComponent(url.pathname + url.search)}` : '';
  c.header('Cache-Control', 'no-store');
  return c.redirect(`/admin/login${back}`, 303);
});

/** Every POST (any unsafe method) carries the session's CSRF token in `_csrf`, on top of the Origin check. */
export function requireCsrfToken(keys: Keyring, refuse: (c: Context<PagesEnv>) => Response | Promise<Response>) {
  return createMiddleware<PagesEnv>(async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const session = c.get('session')!;
    const form = await readForm(c);
    const ok = await (await keys.signer()).checkCsrf('session', session.nonce, one(form, '_csrf'));
    if (!ok) return refuse(c);
    await next();
  });
}
