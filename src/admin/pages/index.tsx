/** @jsxImportSource hono/jsx */
/**
 * The admin pages at /admin: server-rendered, usable without JavaScript, behind a signed session
 * cookie, with an Origin check and a per-session CSRF token on every form.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps } from '../../app-types.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { assetRoutes } from './assets.ts';
import { categoryPages } from './categories.tsx';
import { dashboardPage } from './dashboard.tsx';
import { sendPage, type PagesEnv } from './env.ts';
import { feedPages } from './feeds.tsx';
import { keyring, loadSession, requireCsrfToken, requireSession } from './guard.ts';
import { itemPages } from './items.tsx';
import { Layout } from './layout.tsx';
import { linkPages } from './links.tsx';
import { rulePages } from './rules.tsx';
import { previewPages } from './preview.tsx';
import { signInPages, signOutPage } from './signin.tsx';
import { sourcePages } from './sources.tsx';

const MAX_FORM_BYTES = 1024 * 1024;

function ErrorPage(props: { c: Context<PagesEnv>; title: string; detail: string }) {
  const csrf = props.c.get('session') ? props.c.get('csrf') : undefined;
  return (
    <Layout title={props.title} csrf={csrf}>
      <div class="card">
        <h1>{props.title}</h1>
        <p>{props.detail}</p>
        <p>
          <a href="/admin">بازگشت به داشبورد · Back to the dashboard</a>
        </p>
      </div>
    </Layout>
  );
}

export function adminPages(deps: AppDeps) {
  const app = new Hono<PagesEnv>();
  const keys = keyring(deps);
  const adminOrigin = new URL(deps.config.baseUrl).origin;

  const forbidden = (c: Context<PagesEnv>) =>
    sendPage(
      c,
      <ErrorPage c={c} title="درخواست رد شد · Forbidden" detail="این فرم از صفحه‌ای دیگر فرستاده شده یا منقضی شده است؛ صفحه را دوباره باز کنید و دوباره بفرستید. · The form came from another site or has expired: reload the page and submit again" />,
      403,
    );

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      xFrameOptions: 'DENY',
      referrerPolicy: 'same-origin',
    }),
  );
  app.route('/', assetRoutes());
  // Origin (or Sec-Fetch-Site) must be this site for every form post, signed in or not.
  app.use('*', csrf({ origin: (origin, c) => origin === adminOrigin || origin === new URL(c.req.url).origin }));
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: (c) => sendPage(c, <ErrorPage c={c as Context<PagesEnv>} title="فرم بیش از اندازه بزرگ است · Too large" detail={`Form posts are limited to ${MAX_FORM_BYTES} bytes`} />, 413),
    }),
  );
  app.use('*', loadSession(deps, keys));
  app.route('/', signInPages(deps, keys));
  app.use('*', requireSession);
  app.use('*', requireCsrfToken(keys, forbidden));
  app.route('/', signOutPage(keys, deps.repos));
  app.route('/', dashboardPage(deps));
  app.route('/categories', categoryPages(deps));
  app.route('/feeds', feedPages(deps));
  app.route('/items', itemPages(deps));
  app.route('/sources/preview', previewPages(deps));
  app.route('/sources', sourcePages(deps));
  app.route('/rules', rulePages(deps));
  app.route('/links', linkPages(deps));
  app.all('*', (c) => sendPage(c, <ErrorPage c={c} title="پیدا نشد · Not found" detail="چنین صفحه‌ای در مدیریت نیست. · There is no such admin page" />, 404));

  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status === 403) return forbidden(c);
    if (error instanceof NotFoundError) return sendPage(c, <ErrorPage c={c} title="پیدا نشد · Not found" detail={error.message} />, 404);
    // Forms re-render their own field errors; this is for a forged or stale post.
    if (error instanceof ValidationError) return sendPage(c, <ErrorPage c={c} title="نادرست · Invalid" detail={error.problems.map((p) => `${p.field}: ${p.message}`).join('; ') || error.message} />, 422);
    deps.log?.('error', 'admin page failed', { path: new URL(c.req.url).pathname, error: String((error as Error)?.stack ?? error) });
    return sendPage(c, <ErrorPage c={c} title="خطای داخلی · Internal error" detail="the error was logged" />, 500);
  });

  return app;
}
