import { Hono, type Context } from 'hono';
import type { AppDeps, AppEnv } from '../app-types.ts';
import { runInBackground } from '../http/background.ts';
import { headerOf, type FrontPart } from '../http/front.ts';
import { problemResponse } from '../http/problem.ts';
import { isCode } from './codes.ts';
import { isHumanClick, referrerHost } from './humans.ts';
import { createResolver, type Target } from './resolve.ts';
import type { TrafficRecorder } from './traffic.ts';

/** With no runtime flushing the recorder, write right after the response (on Workers, inside waitUntil). */
export function flushIfEager(c: Context, traffic: TrafficRecorder): void {
  if (!traffic.eager) return;
  runInBackground(c, traffic.flush());
}

const SHORT_PATH = /^\/s\/([^/]+)$/;
const SHORT_ROUTE = '/s/:code';

/** One frozen header set per target: the redirect answer is the same every time. */
const redirectHeaders = new WeakMap<Target, Readonly<Record<string, string>>>();
function headersFor(target: Target): Readonly<Record<string, string>> {
  let headers = redirectHeaders.get(target);
  if (!headers) {
    headers = Object.freeze({
      Location: target.location,
      // No body: said outright, so Node frames the answer without chunked encoding.
      'Content-Length': '0',
      'Cache-Control': 'private, max-age=0',
      // Publishers see visits came through the short link, but never over a downgrade to http.
      'Referrer-Policy': 'no-referrer-when-downgrade',
    });
    redirectHeaders.set(target, headers);
  }
  return headers;
}

/**
 * `GET`/`HEAD /s/:code`: the redirect hot path. One cache lookup, a click counted in memory,
 * no database write before the answer. The front part answers codes the cache already holds
 * without the app; the route reads the rest.
 */
export function shortlinkRoutes(deps: AppDeps, traffic: TrafficRecorder): { app: Hono<AppEnv>; front: FrontPart } {
  const resolve = createResolver(deps.repos.links, { baseUrl: deps.config.baseUrl });
  const app = new Hono<AppEnv>();

  app.on(['GET', 'HEAD'], SHORT_ROUTE, async (c) => {
    const code = c.req.param('code');
    const target = isCode(code) ? await resolve(code) : null;
    if (!target) return problemResponse(c, 404, 'Not Found', { detail: 'no such short link' });
    const headers = c.req.raw.headers;
    if (isHumanClick(c.req.method, (name) => headers.get(name))) {
      traffic.click(code, referrerHost(headers.get('referer')));
      flushIfEager(c, traffic);
    }
    return c.body(null, target.status, { ...headersFor(target) });
  });

  const front: FrontPart = (request, path) => {
    if (traffic.eager) return null;
    const code = SHORT_PATH.exec(path)?.[1];
    const target = code !== undefined && isCode(code) ? resolve.known(code) : undefined;
    if (!code || !target) return null;
    if (isHumanClick(request.method, (name) => headerOf(request, name))) traffic.click(code, referrerHost(headerOf(request, 'referer')));
    return { status: target.status, headers: headersFor(target), body: null, route: SHORT_ROUTE };
  };

  return { app, front };
}
