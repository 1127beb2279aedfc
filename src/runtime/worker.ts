/**
 * The Workers runtime: D1 instead of better-sqlite3, Cron Triggers instead of node-cron, feeds/
 * bundled instead of read from disk. The only place (with src/db/d1.ts) that knows it runs on
 * Workers; everything else is the same createApp() the Node runtime serves.
 */
import type { ExecutionContext, ScheduledController } from '@cloudflare/workers-types';
import { version } from '../../package.json';
import type { ConfigDocument } from '../admin/config/sync.ts';
import { createApp, type App } from '../app.ts';
import { ValidationError } from '../core/errors.ts';
import { openD1 } from '../db/d1.ts';
import { createRepos, type Repos } from '../db/repos/index.ts';
import { jsonLogger, type Logger } from '../http/observe.ts';
import { PROBLEM_TYPE } from '../http/problem.ts';
import { runIngestTick } from '../ingest/scheduler.ts';
import { notifyFeedsChanged } from '../publish/websub.ts';
import { createTrafficRecorder, type TrafficRecorder } from '../shortlinks/traffic.ts';
import { BindingError, readBindings, type WorkerSettings } from './worker-bindings.ts';
import { CacheApiFeedStore, type FeedCacheApi } from './worker-cache.ts';
import { bootstrap, BootstrapError, bundledConfig } from './worker-config.ts';
import { bundledMigrations, migrateIfEmpty, MigrationError } from './worker-migrate.ts';

export interface WorkerOptions {
  /** The feeds/ documents to apply; the bundled ones by default. */
  config?: ConfigDocument[];
  now?: () => Date;
  /** Upstream fetches (ingest, discovery); the global fetch by default. */
  fetchImpl?: typeof fetch;
  /** The Cache API cache rendered feeds are shared through; `caches.open('chapar-feeds')` by default. */
  feedCache?: () => Promise<FeedCacheApi>;
}

interface Isolate {
  settings: WorkerSettings;
  repos: Repos;
  log: Logger;
  /** Clicks and polls, written after each response through ctx.waitUntil. */
  traffic: TrafficRecorder;
  /** Rendered feeds in the colo's Cache API, behind each app's in-memory cache; puts run in ctx.waitUntil. */
  feeds: CacheApiFeedStore;
  /** One app per public origin, for when CHAPAR_BASE_URL is left to follow the request. */
  apps: Map<string, App>;
}

const MAX_ORIGINS = 8;

/** An isolate has 128 MB in all; the Node default (16 MiB) would crowd it. The Cache API is the tier behind. */
const FEED_CACHE_BYTES = 8 * 1024 * 1024;

/** A Worker invocation may hold six connections open; leave room for D1 and hub pings. */
const TICK_CONCURRENCY = 4;
/** Search indexing per Cron Trigger, after the ingest: well inside an invocation's 15 minutes of wall time and its CPU limit. */
const SEARCH_INDEX_BUDGET_MS = 10_000;

/** waitUntil work must end about 30 s after the event: three tries of 5 s at most (Node's run to 5 minutes). */
const PING_DELAYS_MS = [0, 2_000, 10_000];
const PING_TIMEOUT_MS = 5_000;

export function createWorker(options: WorkerOptions = {}) {
  const config = options.config ?? bundledConfig;
  const now = options.now ?? (() => new Date());
  // Bindings are checked and the bootstrap applied once per isolate, not per request. The
  // runtime need not hand every request the same env object, so what is compared is its shape:
  // the vars' values and which bindings exist.
  let current: { shape: string; isolate: Promise<Isolate> } | null = null;

  function isolateFor(env: object): Promise<Isolate> {
    const shape = JSON.stringify(Object.entries(env).map(([name, value]) => [name, typeof value === 'string' ? value : typeof value]));
    if (current?.shape === shape) return current.isolate;
    const isolate = (async () => {
      const settings = readBindings(env as Record<string, unknown>);
      const log = jsonLogger((line) => console.log(line), settings.logLevel);
      const migrated = await migrateIfEmpty(settings.db);
      if (migrated === 'migrated') log('info', 'migrated the empty database', { migrations: bundledMigrations.map((m) => m.name) });
      const repos = createRepos(openD1(settings.db), now);
      await bootstrap(repos, settings.adminToken, config, now());
      const feeds = new CacheApiFeedStore({ release: version, open: options.feedCache });
      return { settings, repos, log, traffic: createTrafficRecorder(repos, { log, now }), feeds, apps: new Map() };
    })();
    current = { shape, isolate };
    // A failed start is retried by the next request rather than remembered.
    isolate.catch(() => {
      if (current?.isolate === isolate) current = null;
    });
    return isolate;
  }

  const ingestOptions = (settings: WorkerSettings) => ({
    allowPrivate: settings.allowPrivate,
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
  });
  const websubOptions = (log: Logger) => ({
    delaysMs: PING_DELAYS_MS,
    timeoutMs: PING_TIMEOUT_MS,
    log: (line: string) => log('warn', line),
    ...(options.fetchImpl ? { fetch: options.fetchImpl } : {}),
  });

  function appFor(isolate: Isolate, origin: string): App {
    const baseUrl = isolate.settings.baseUrl ?? origin;
    let app = isolate.apps.get(baseUrl);
    if (!app) {
      if (isolate.apps.size >= MAX_ORIGINS) isolate.apps.clear();
      app = createApp({
        repos: isolate.repos,
        config: {
          baseUrl,
          websubHubs: isolate.settings.websubHubs,
          version,
          fetchAllowPrivate: isolate.settings.allowPrivate,
          ingest: ingestOptions(isolate.settings),
        },
        now,
        log: isolate.log,
        traffic: isolate.traffic,
        clientIp: (c) => c.req.header('cf-connecting-ip'),
        // Cloudflare compresses at the edge for each client, brotli included; a Worker that
        // sends gzip bytes with Content-Encoding gets them gzipped a second time.
        compress: {},
        publish: { cacheBytes: FEED_CACHE_BYTES, sharedCache: isolate.feeds.forOrigin(baseUrl), websub: websubOptions(isolate.log) },
      });
      isolate.apps.set(baseUrl, app);
    }
    return app;
  }

  return {
    async fetch(request: Request, env: object, ctx: ExecutionContext): Promise<Response> {
      let isolate: Isolate;
      try {
        isolate = await isolateFor(env);
      } catch (error) {
        return startProblem(error);
      }
      const response = await appFor(isolate, new URL(request.url).origin).fetch(request, env, ctx);
      if (isolate.traffic.pending > 0) ctx.waitUntil(isolate.traffic.flush());
      if (isolate.feeds.pending > 0) ctx.waitUntil(isolate.feeds.settled());
      return response;
    },

    /** The Cron Trigger: the same ingest tick as node-cron runs, sized for one invocation. */
    async scheduled(controller: ScheduledController, env: object, ctx: ExecutionContext): Promise<void> {
      ctx.waitUntil(
        isolateFor(env).then(
          (isolate) => tick(isolate, controller),
          (error: unknown) => logStartFailure(error),
        ),
      );
    },
  };

  async function tick({ settings, repos, log }: Isolate, controller: ScheduledController): Promise<void> {
    const pings: Promise<unknown>[] = [];
    const report = await runIngestTick(
      {
        repos,
        now,
        log,
        ingest: ingestOptions(settings),
        onItemsChanged(ids) {
          if (!settings.baseUrl || settings.websubHubs.length === 0) return;
          const config = { baseUrl: settings.baseUrl, websubHubs: settings.websubHubs };
          pings.push(notifyFeedsChanged({ repos, config, websub: websubOptions(log) }, ids));
        },
      },
      { maxSources: settings.tickSources, concurrency: TICK_CONCURRENCY },
    );
    const count = (status: string) => report.results.filter((r) => r.status === status).length;
    log('info', 'tick', { cron: controller.cron, picked: report.picked, ok: count('ok'), notModified: count('not-modified'), failed: count('error') + count('retry-later') });
    await Promise.all(pings);
    // What pushes and this tick stored becomes searchable here, not on a reader's first search.
    const started = Date.now();
    const indexed = await repos.items.indexSearch(() => Date.now() - started > SEARCH_INDEX_BUDGET_MS);
    if (indexed > 0) log('info', 'search indexed', { items: indexed });
  }
}

function logStartFailure(error: unknown): void {
  console.error(JSON.stringify({ level: 'error', msg: 'worker start failed', error: String((error as Error)?.stack ?? error) }));
}

/** A start that cannot finish answers every request with a 500 saying what to fix. */
function startProblem(error: unknown): Response {
  logStartFailure(error);
  const explained = error instanceof BindingError || error instanceof MigrationError || error instanceof BootstrapError || error instanceof ValidationError;
  const body = {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: explained ? (error as Error).message : 'the worker could not start; the error was logged',
  };
  return new Response(JSON.stringify(body), { status: 500, headers: { 'content-type': PROBLEM_TYPE } });
}

export default createWorker();
