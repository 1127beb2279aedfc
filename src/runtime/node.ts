/**
 * The Node runtime: better-sqlite3, @hono/node-server, config from disk, graceful shutdown.
 * The only place (with src/db/sqlite.ts) that knows it runs on Node.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import cron from 'node-cron';
import { getConnInfo } from '@hono/node-server/conninfo';
import { hashToken } from '../admin/auth.ts';
import { readConfigDir } from '../admin/config/files.ts';
import { syncConfig, type SyncReport } from '../admin/config/sync.ts';
import { createChapar, type AppDeps } from '../app.ts';
import { Metrics } from '../http/metrics.ts';
import type { Front, FrontAnswer } from '../http/front.ts';
import { jsonLogger } from '../http/observe.ts';
import type { Database } from '../db/database.ts';
import { createRepos, type Repos } from '../db/repos/index.ts';
import { openSqlite } from '../db/sqlite.ts';
import type { IngestDeps } from '../ingest/pipeline.ts';
import { runIngestTick, type TickOptions } from '../ingest/scheduler.ts';
import { resolveWithNodeDns } from '../ingest/ssrf.ts';
import type { Logger } from '../http/observe.ts';
import { itemsChangedHook } from '../publish/websub.ts';
import { createTrafficRecorder } from '../shortlinks/traffic.ts';
import { startSearchIndexer } from './search-indexer.ts';
import { registerProcessMetrics } from './process-metrics.ts';
import { readEnv, type Env } from './env.ts';
import { nodeCompressor } from './compress.ts';

export const VERSION = '0.1.0';

export class StartError extends Error {}

/** Opens the database named by CHAPAR_DB, turning driver errors into one line naming the variable. */
export function openDatabase(env: Pick<Env, 'CHAPAR_DB'>): Database {
  try {
    return openSqlite(env.CHAPAR_DB === ':memory:' ? ':memory:' : resolve(env.CHAPAR_DB));
  } catch (error) {
    throw new StartError(`chapar: CHAPAR_DB=${JSON.stringify(env.CHAPAR_DB)} cannot be opened: ${(error as Error).message}`);
  }
}

/** Migrated database + bootstrap token + config applied: what both `serve` and `sync` need. */
export async function prepare(env: Env, database: Database): Promise<{ repos: Repos; report: SyncReport }> {
  const repos = createRepos(database);
  if (env.CHAPAR_ADMIN_TOKEN) await repos.tokens.ensure('bootstrap (CHAPAR_ADMIN_TOKEN)', await hashToken(env.CHAPAR_ADMIN_TOKEN));
  const report = await syncConfig(repos, await readConfigDir(env.CHAPAR_CONFIG_DIR), new Date());
  return { repos, report };
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting, lets requests in flight finish, then closes the database. */
  close(): Promise<void>;
}

/**
 * What each Node tick passes to runIngestTick. The scheduler's concurrency and per-host limits
 * pace the fetches; the cap only bounds one tick (measured: 10,000 mostly-304 sources in 12-16 s).
 * Exported for the benchmark, which measures a tick as the runtime schedules it.
 */
export const NODE_TICK: TickOptions = { maxSources: 10_000 };

/**
 * node-cron running one ingest tick per CHAPAR_CRON firing (never two at once); `off` runs
 * none. stop() waits for a tick in progress, so the database outlives it.
 */
function startScheduler(expression: string, deps: IngestDeps, log: Logger): { stop(): Promise<void> } {
  if (expression === 'off') return { stop: async () => {} };
  let running: Promise<void> = Promise.resolve();
  const task = cron.schedule(
    expression,
    () => {
      running = runIngestTick(deps, NODE_TICK).then(
        (report) => {
          if (report.picked > 0) log('info', 'ingest tick', { picked: report.picked, statuses: report.results.map((r) => r.status) });
        },
        (error: unknown) => log('error', 'ingest tick failed', { error: String((error as Error)?.stack ?? error) }),
      );
      return running;
    },
    { name: 'chapar-ingest', noOverlap: true },
  );
  return {
    async stop() {
      await task.destroy();
      await running;
    },
  };
}

/** Each frozen header set of the front's answers as the flat list writeHead takes, made once. */
const flatHeaders = new WeakMap<Readonly<Record<string, string>>, string[]>();

/**
 * The front (src/http/front.ts) on Node's own request objects, before @hono/node-server's
 * listener: what it answers is written straight from the cached bytes and frozen headers, in
 * one writeHead (a setHeader before it would send Node down its slower per-header path).
 */
export function withFront(front: Front, next: (req: IncomingMessage, res: ServerResponse) => unknown) {
  return (req: IncomingMessage, res: ServerResponse) => {
    let answer: FrontAnswer | null;
    try {
      answer = front({ method: req.method ?? '', target: req.url ?? '', headers: req.headers, ip: req.socket.remoteAddress });
    } catch {
      // The app answers instead, and logs whatever is wrong as the 500 it is.
      answer = null;
    }
    if (!answer) return void next(req, res);
    let flat = flatHeaders.get(answer.headers);
    if (!flat) flatHeaders.set(answer.headers, (flat = Object.entries(answer.headers).flat()));
    res.writeHead(answer.status, [...flat, 'X-Request-Id', answer.id]);
    res.end(answer.body ?? undefined);
  };
}

export async function startServer(rawEnv: Record<string, string | undefined>, log: (line: string) => void = console.log): Promise<RunningServer> {
  const env = readEnv(rawEnv);
  if (env.CHAPAR_CRON !== 'off' && !cron.validate(env.CHAPAR_CRON)) {
    throw new StartError(`chapar: CHAPAR_CRON=${JSON.stringify(env.CHAPAR_CRON)} is not a cron expression such as "*/5 * * * *"; use off to disable the scheduler`);
  }
  const database = openDatabase(env);
  let repos: Repos;
  try {
    ({ repos } = await prepare(env, database));
  } catch (error) {
    await database.close();
    throw error;
  }
  // Listening comes first, so that with PORT=0 the default origin names the port actually bound;
  // the handler is in place before the first request can be read.
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server = await new Promise<Server>((resolveListen, reject) => {
    const s = createServer((req, res) => {
      if (handle) return handle(req, res);
      res.writeHead(503, { 'Retry-After': '1' }).end();
    });
    s.once('error', (error: NodeJS.ErrnoException) => reject(new StartError(`chapar: PORT=${env.PORT} cannot be used: ${error.code ?? error.message}`)));
    s.listen(env.PORT, () => resolveListen(s));
  }).catch(async (error) => {
    await database.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = rawEnv.CHAPAR_BASE_URL ? env.CHAPAR_BASE_URL : `http://localhost:${port}`;
  const logger = jsonLogger(log, env.CHAPAR_LOG_LEVEL);
  const traffic = createTrafficRecorder(repos, { log: logger });
  const metrics = new Metrics();
  registerProcessMetrics(metrics);
  const appDeps: AppDeps = {
    repos,
    metrics,
    log: logger,
    traffic,
    clientIp: (c) => getConnInfo(c).remote.address,
    compress: nodeCompressor(),
    config: {
      baseUrl,
      websubHubs: env.CHAPAR_WEBSUB_HUBS,
      version: VERSION,
      fetchAllowPrivate: env.CHAPAR_FETCH_ALLOW_PRIVATE,
      ingest: { resolve: resolveWithNodeDns },
    },
  };
  const { app, front } = createChapar(appDeps);
  handle = withFront(front, getRequestListener(app.fetch));
  // Always printed, whatever the log level: tests and operators read the port from it.
  log(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'listening', port, baseUrl, db: env.CHAPAR_DB }));

  const scheduler = startScheduler(
    env.CHAPAR_CRON,
    { repos, log: logger, ingest: { resolve: resolveWithNodeDns, allowPrivate: env.CHAPAR_FETCH_ALLOW_PRIVATE }, onItemsChanged: itemsChangedHook(appDeps) },
    logger,
  );
  const flushTimer = setInterval(() => void traffic.flush(), 1000);
  flushTimer.unref();
  const indexer = startSearchIndexer(repos.items, logger);

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close() {
      closing ??= (async () => {
        await new Promise<void>((done) => {
          server.close(() => done());
          // Keep-alive sockets with no request in flight would hold close() open.
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        clearInterval(flushTimer);
        await scheduler.stop();
        await indexer.stop();
        // Clicks and polls still buffered go to the database before it closes.
        await traffic.flush();
        await database.close();
        logger('info', 'stopped');
      })();
      return closing;
    },
  };
}
