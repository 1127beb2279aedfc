import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../app-types.ts';
import { flushIfEager } from './routes.ts';
import type { TrafficRecorder } from './traffic.ts';

const FEED_PATH = /^\/feeds\/([a-z0-9][a-z0-9_-]{0,63})\.(rss|atom|json)$/;

/**
 * Counts each feed request answered 200 or 304, after the answer is made: per feed, day and
 * format, and the reader behind it for subscriber estimates. The feed route itself knows nothing of it.
 */
export function countFeedPolls(deps: Pick<AppDeps, 'clientIp'>, traffic: TrafficRecorder): MiddlewareHandler<AppEnv> {
  return async function countFeedPolls(c, next) {
    await next();
    const { method } = c.req;
    const { status } = c.res;
    if ((method !== 'GET' && method !== 'HEAD') || (status !== 200 && status !== 304)) return;
    const match = FEED_PATH.exec(c.req.path);
    if (!match) return;
    let ip: string | null | undefined = null;
    try {
      ip = deps.clientIp?.(c);
    } catch {
      // A runtime that cannot tell (a test request, a proxy): the reader is told apart by User-Agent only.
    }
    traffic.poll({ slug: match[1]!, format: match[2]!, userAgent: c.req.header('user-agent'), ip });
    flushIfEager(c, traffic);
  };
}
