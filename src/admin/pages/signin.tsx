/** @jsxImportSource hono/jsx */
/**
 * Sign-in with an admin token and sign-out. The sign-in form has its own CSRF token, bound to a
 * short-lived random cookie, so a third-party page cannot sign a browser into someone else's session.
 */
import type { Repos } from '../../db/repos/index.ts';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppDeps } from '../../app-types.ts';
import { hashToken } from '../auth.ts';
import { sendPage, type PagesEnv } from './env.ts';
import { one, readForm } from './forms.ts';
import { LOGIN_COOKIE, SESSION_COOKIE, safeNext, type Keyring } from './guard.ts';
import { CsrfField, Field, FormErrors, Layout, control, noticeOf, type FieldErrors } from './layout.tsx';
import { SESSION_TTL_MS, randomToken } from './session.ts';
import { failureThrottle } from '../throttle.ts';

const LOGIN_FORM_TTL_SECONDS = 60 * 60;
const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 15 * 60 * 1000;

export function signInPages(deps: AppDeps, keys: Keyring) {
  const now = deps.now ?? (() => new Date());
  const app = new Hono<PagesEnv>();
  const throttle = failureThrottle({ limit: MAX_FAILURES, windowMs: FAILURE_WINDOW_MS });

  /** The sign-in form, with a fresh form nonce cookie unless a valid one is present. */
  async function form(c: Context<PagesEnv>, opts: { next: string; errors?: FieldErrors; status?: 200 | 401 | 403 | 422 | 429; notice?: string | undefined }) {
    let nonce = getCookie(c, LOGIN_COOKIE);
    if (!nonce || !/^[A-Za-z0-9_-]{24}$/.test(nonce)) {
      nonce = randomToken();
      setCookie(c, LOGIN_COOKIE, nonce, keys.cookie(c, LOGIN_FORM_TTL_SECONDS));
    }
    const csrf = await (await keys.signer()).csrfToken('login', nonce);
    const { errors } = opts;
    return sendPage(
      c,
      <Layout title="ورود · Sign in" notice={opts.notice}>
        <div class="login">
          <form method="post" action="/admin/login" class="card">
            <h1>ورود به مدیریت · Sign in</h1>
            <FormErrors errors={errors} />
            <CsrfField token={csrf} />
            <input type="hidden" name="next" value={opts.next} />
            <Field label="توکن مدیر · Admin token" name="token" errors={errors} hint="همان توکنی که برای API به کار می‌رود (CHAPAR_ADMIN_TOKEN یا chapar token create).">
              <input type="password" dir="ltr" autocomplete="current-password" required maxlength={512} {...control('token', errors)} />
            </Field>
            <p>
              <button type="submit">ورود · Sign in</button>
            </p>
          </form>
        </div>
      </Layout>,
      opts.status ?? 200,
    );
  }

  app.get('/login', (c) => {
    if (c.get('session')) return c.redirect('/admin', 303);
    return form(c, { next: safeNext(c.req.query('next')), notice: noticeOf(c.req.query('notice')) });
  });

  app.post('/login', async (c) => {
    const body = await readForm(c);
    const next = safeNext(one(body, 'next'));
    const signer = await keys.signer();
    const nonce = getCookie(c, LOGIN_COOKIE);
    if (!nonce || !(await signer.checkCsrf('login', nonce, one(body, '_csrf')))) {
      return form(c, { next, status: 403, errors: { _form: 'فرم منقضی شده است؛ دوباره تلاش کنید · The form expired; please try again' } });
    }
    // Without the client's address there is nothing fair to count by: one shared counter would let anyone lock admins out.
    const client = deps.clientIp?.(c) ?? null;
    const wait = client ? throttle.waitFor(client, now().getTime()) : 0;
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return form(c, { next, status: 429, errors: { _form: `ورودهای ناموفق زیاد بود؛ ${Math.ceil(wait / 60_000)} دقیقهٔ دیگر دوباره تلاش کنید · Too many failed sign-ins; try again in ${Math.ceil(wait / 60_000)} min` } });
    }
    const token = one(body, 'token');
    if (token === '' || token.length > 512) {
      return form(c, { next, status: 422, errors: { token: 'توکن را وارد کنید · Enter an admin token' } });
    }
    const stored = await deps.repos.tokens.byHash(await hashToken(token));
    if (!stored) {
      if (client) throttle.fail(client, now().getTime());
      return form(c, { next, status: 401, errors: { token: 'این توکن معتبر نیست یا باطل شده است · Unknown or revoked token' } });
    }
    if (client) throttle.succeed(client);
    const { value } = await signer.issue(stored.id, now());
    setCookie(c, SESSION_COOKIE, value, keys.cookie(c, SESSION_TTL_MS / 1000));
    deleteCookie(c, LOGIN_COOKIE, keys.cookie(c));
    await deps.repos.tokens.touch(stored.id);
    c.header('Cache-Control', 'no-store');
    return c.redirect(next, 303);
  });

  return app;
}

/** Sign-out sits behind the session and CSRF guards like every other form. */
export function signOutPage(keys: Keyring, repos: Pick<Repos, 'tokens'>) {
  const app = new Hono<PagesEnv>();
  app.post('/logout', async (c) => {
    // Server-side too: a copied cookie must not outlive the sign-out.
    await repos.tokens.signOut(c.get('tokenId'));
    deleteCookie(c, SESSION_COOKIE, keys.cookie(c));
    c.header('Cache-Control', 'no-store');
    c.header('Clear-Site-Data', '"cache"');
    return c.redirect('/admin/login?notice=signed-out', 303);
  });
  return app;
}
