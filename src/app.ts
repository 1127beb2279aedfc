/** The one Hono app, built from its dependencies. No runtime imports: Node and Workers both call this. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { bearerAuth } from './admin/auth.ts';
import { apiDocs } from './admin/docs.tsx';
import { adminPages } from './admin/pages/index.tsx';
import { categoryApi } from './admin/api/categories.ts';
import { feedApi } from './admin/api/feeds.ts';
import { itemApi } from './admin/api/items.ts';
import { linkApi } from './admin/api/links.ts';
import { previewApi } from './admin/api/preview.ts';
import { ruleApi } from './admin/api/rules.ts';
import { sourceApi } from './admin/api/sources.ts';
import { feedStatsApi } from './admin/api/stats.ts';
import { tokenApi } from './admin/api/tokens.ts';
import type { AppDeps, AppEnv } from './app-types.ts';
import { ConflictError, NotFoundError, ValidationError } from './core/errors.ts';
import { bodySizeLimit, MAX_TARGET_LENGTH, urlLengthLimit } from './http/limits.ts';
import { Metrics } from './http/metrics.ts';
import { createFront, type Front } from './http/front.ts';
import { observe, requestRecorder } from './http/observe.ts';
import { problemResponse } from './http/problem.ts';
import { MalformedBodyError } from './http/validate.ts';
import { pageRoutes } from './publish/pages.tsx';
import { publishRoutes } from './publish/routes.ts';
import { itemsChangedHook } from './publish/websub.ts';
import { countFeedPolls } from './shortlinks/polls.ts';
import { shortlinkRoutes } from './shortlinks/routes.ts';
import { createTrafficRecorder } from './shortlinks/traffic.ts';

export type { AppConfig, AppDeps, AppEnv } from './app-types.ts';

/** JSON bodies on the admin API: 1 MiB, enough for a push of 1,000 ordinary items. */
export const MAX_BODY_BYTES = 1024 * 1024;

export function createApp(deps: AppDeps) {
  return createChapar(deps).app;
}

/**
 * The app, and the front a runtime may put before it (src/http/front.ts): the same caches and
 * counters, answering already-built feeds, 304s and known short links without the app.
 */
export function createChapar(deps: AppDeps): { app: Hono<AppEnv>; front: Front } {
  const app = new Hono<AppEnv>();
  const metrics = deps.metrics ?? new Metrics();
  const log = deps.log ?? (() => {});
  const record = requestRecorder(metrics, log);
  app.use('*', urlLengthLimit());
  app.use('*', observe(record));
  const traffic = deps.traffic ?? createTrafficRecorder(deps.repos, { ...(deps.now ? { now: deps.now } : {}), log, eager: true });
  app.use('/feeds/*', countFeedPolls(deps, traffic));
  metrics.gauge('chapar_traffic_pending', 'Clicks, polls and readers counted in memory, waiting for the next write', () => [{ labels: {}, value: traffic.pending }]);
  metrics.gauge('chapar_traffic_dropped', 'Clicks and polls dropped because the buffer was full, since start', () => [{ labels: {}, value: traffic.dropped }]);
  metrics.gauge('chapar_search_backlog_items', 'Items stored but not yet in the search index (a search indexes them first)', async () => [
    { labels: {}, value: await deps.repos.items.searchBacklog() },
  ]);
  metrics.gauge('chapar_sources', 'Sources by state and last fetch outcome', async () =>
    (await deps.repos.stats.sourcesByState()).map(({ state, outcome, count }) => ({ labels: { state, outcome }, value: count })),
  );

  app.get('/healthz', async (c) => {
    try {
      await deps.repos.ping();
      return c.json({ status: 'ok', version: deps.config.version, database: deps.repos.database.kind });
    } catch {
      return c.json({ status: 'error', database: 'unreachable' }, 503);
    }
  });

  app.get('/metrics', async (c) => c.body(await metrics.render(), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' }));

  // Public and registered first, so the bearer check below never runs for them.
  app.route('/api/v1', apiDocs(deps));
  const api = new Hono<AppEnv>();
  api.use('*', bearerAuth(deps));
  api.use('*', bodySizeLimit(MAX_BODY_BYTES));
  api.route('/categories', categoryApi(deps));
  api.route('/feeds', feedApi(deps));
  api.route('/feeds', feedStatsApi(deps));
  api.route('/items', itemApi({ ...deps, onItemsChanged: itemsChangedHook(deps) }));
  api.route('/links', linkApi(deps));
  // Before /sources, whose /:id would otherwise take "preview" for an id.
  api.route('/sources/preview', previewApi(deps));
  api.route('/sources', sourceApi(deps));
  api.route('/rules', ruleApi(deps));
  api.route('/tokens', tokenApi(deps));
  app.route('/api/v1', api);

  app.route('/admin', adminPages(deps));
  const publish = publishRoutes({ ...deps, metrics }, traffic);
  const links = shortlinkRoutes(deps, traffic);
  app.route('/', publish.app);
  app.route('/', links.app);
  app.route('/', pageRoutes(deps));

  app.notFound((c) => problemResponse(c, 404, 'Not Found', { detail: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` }));

  app.onError((error, c) => {
    if (error instanceof ValidationError) return problemResponse(c, 422, 'Unprocessable Content', { detail: error.message, errors: error.problems });
    if (error instanceof MalformedBodyError) return problemResponse(c, 400, 'Bad Request', { detail: error.message });
    if (error instanceof NotFoundError) return problemResponse(c, 404, 'Not Found', { detail: error.message });
    if (error instanceof ConflictError) return problemResponse(c, 409, 'Conflict', { detail: error.message });
    if (error instanceof HTTPException) return problemResponse(c, error.status as ContentfulStatusCode, error.message || 'Error');
    log('error', 'unhandled error', { path: new URL(c.req.url).pathname, error: String(error?.stack ?? error) });
    return problemResponse(c, 500, 'Internal Server Error', { detail: 'the error was logged' });
  });

  return { app, front: createFront([publish.front, links.front], record, metrics, MAX_TARGET_LENGTH) };
}

export type App = ReturnType<typeof createApp>;
