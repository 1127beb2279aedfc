import { Hono, type Context } from 'hono';
import type { AppDeps, AppEnv } from '../app-types.ts';
import { runInBackground } from '../http/background.ts';
import { problemResponse } from '../http/problem.ts';
import { isCode } from './codes.ts';
import { isHumanClick, referrerHost } from './humans.ts';
import { createResolver } from './resolve.ts';
import type { TrafficRecorder } from './traffic.ts';

/** With no runtime flushing the recorder, write right after the response (on Workers, inside waitUntil). */
export function flushIfEager(c: Context, traffic: TrafficRecorder): void {
  if (!traffic.eager) return;
  runInBackground(c, traffic.flush());
}

/**
 * `GET`/`HEAD /s/:code`: the redirect hot path. One cache lookup, a click counted in memory,
 * no database write before the answer.
 */
export function shortlinkRoutes(deps: AppDeps, traffic: TrafficRecorder) {
  const resolve = createResolver(deps.repos.links, { baseUrl: deps.config.baseUrl });
  const app = new Hono<AppEnv>();

  app.on(['GET', 'HEAD'], '/s/:code', async (c) => {
    const code = c.req.param('code');
    const target = isCode(code) ? await resolve(code) : null;
    if (!target) return problemResponse(c, 404, 'Not Found', { detail: 'no such short link' });
    const headers = c.req.raw.headers;
    if (isHumanClick(c.req.method, headers)) {
      traffic.click(code, referrerHost(headers.get('referer')));
      flushIfEager(c, traffic);
    }
    return c.body(null, target.status, {
      Location: target.location,
      'Cache-Control': 'private, max-age=0',
      // Publishers see visits came through the short link, but never over a downgrade to http.
      'Referrer-Policy': 'no-referrer-when-downgrade',
    });
  });

  return app;
}
