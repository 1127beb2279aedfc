import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../../app-types.ts';
import type { Session } from './session.ts';

/** The admin pages' context: the signed-in session and its CSRF token, set by the guard. */
export type PagesEnv = {
  Variables: AppEnv['Variables'] & {
    session: Session | null;
    csrf: string;
  };
};

export type PagesContext = Context<PagesEnv>;

/** Sends a whole page; admin pages are private and never cached. */
export function sendPage(c: Context, page: unknown, status: ContentfulStatusCode = 200) {
  c.header('Cache-Control', 'no-store');
  return c.html(`<!doctype html>${String(page)}`, status);
}

/** After a successful POST: see-other, so a reload does not post again. */
export const seeOther = (c: Context, path: string, notice?: string) =>
  c.redirect(notice ? `${path}${path.includes('?') ? '&' : '?'}notice=${notice}` : path, 303);
