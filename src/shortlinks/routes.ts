import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-types.ts';
import { problemResponse } from '../http/problem.ts';

const CODE = /^[A-Za-z0-9_-]{1,64}$/;

export function shortlinkRoutes(deps: AppDeps) {
  const { repos, config } = deps;
  const app = new Hono<AppEnv>();

  app.on(['GET', 'HEAD'], '/s/:code', async (c) => {
    const code = c.req.param('code');
    const link = CODE.test(code) ? await repos.links.byCode(code) : null;
    if (!link) return problemResponse(c, 404, 'Not Found', { detail: 'no such short link' });
    // Only a stored URL, or the item page this service renders itself, is ever a target.
    const target = link.url ?? (link.itemId !== null ? `${config.baseUrl}/items/${link.itemId}` : null);
    if (!target) return problemResponse(c, 404, 'Not Found', { detail: 'no such short link' });
    c.header('Cache-Control', 'private, max-age=0');
    c.header('Referrer-Policy', 'unsafe-url');
    return c.redirect(target, link.status === 301 ? 301 : 302);
  });

  return app;
}
