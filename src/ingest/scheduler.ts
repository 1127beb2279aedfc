/**
 * One scheduler tick: take the due sources, fetch them with a global concurrency limit and a
 * per-host cap, each under its own lease. Runtime-neutral: the Node runtime's cron calls it, the
 * Cron Trigger's scheduled() handler on Workers. Two ticks (or two processes) may overlap
 * safely: a source whose lease is held is not due for anyone else.
 */
import { NotFoundError } from '../core/errors.ts';
import type { Source } from '../db/repos/sources.ts';
import { ingestSource, type IngestDeps, type IngestResult } from './pipeline.ts';

export interface TickOptions {
  /** Which sources are due; the deps' clock by default. */
  now?: Date;
  /** Sources taken per tick (default 50); the rest wait for the next tick. */
  maxSources?: number;
  /** Fetches at once (default 4). */
  concurrency?: number;
  /** Fetches at once to one host name (default 2), so a site with many feeds is not hammered. */
  perHost?: number;
  /** Every active source, due or not (`chapar fetch` without an id). */
  ignoreSchedule?: boolean;
}

export interface TickReport {
  /** Sources this tick took. */
  picked: number;
  results: IngestResult[];
}

export async function runIngestTick(deps: IngestDeps, opts: TickOptions = {}): Promise<TickReport> {
  const now = opts.now ?? (deps.now ?? (() => new Date()))();
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const perHost = Math.max(1, opts.perHost ?? 2);
  const due = await deps.repos.sources.due(Math.max(1, opts.maxSources ?? 50), now, { ignoreSchedule: opts.ignoreSchedule ?? false });
  const results: IngestResult[] = [];
  await inParallel(hostLanes(due, perHost), concurrency, async (lane) => {
    for (const source of lane) {
      const result = await ingestQuietly(deps, source.id);
      if (result) results.push(result);
    }
  });
  return { picked: due.length, results };
}

/** A tick outlives any one source: one that vanished meanwhile is skipped, a bug is logged. */
async function ingestQuietly(deps: IngestDeps, sourceId: number): Promise<IngestResult | null> {
  try {
    return await ingestSource(deps, sourceId);
  } catch (error) {
    if (!(error instanceof NotFoundError)) deps.log?.('error', 'ingest failed', { sourceId, error: String((error as Error)?.stack ?? error) });
    return null;
  }
}

/**
 * The sources split into lanes fetched one after another: each host gets at most `perHost`
 * lanes, so at most `perHost` fetches to it run at once however many workers there are.
 * Lanes come in the order their first source fell due.
 */
export function hostLanes(sources: readonly Source[], perHost: number): Source[][] {
  const byHost = new Map<string, Source[][]>();
  const lanes: Source[][] = [];
  const counts = new Map<string, number>();
  for (const source of sources) {
    const host = hostOf(source);
    const n = counts.get(host) ?? 0;
    counts.set(host, n + 1);
    let hostLaneList = byHost.get(host);
    if (!hostLaneList) byHost.set(host, (hostLaneList = []));
    const index = n % perHost;
    let lane = hostLaneList[index];
    if (!lane) {
      lane = [];
      hostLaneList.push(lane);
      lanes.push(lane);
    }
    lane.push(source);
  }
  return lanes;
}

function hostOf(source: Source): string {
  try {
    return new URL(source.url).hostname.toLowerCase();
  } catch {
    return `source:${source.id}`;
  }
}

/** Runs `work` over `tasks` with at most `limit` running at once. */
async function inParallel<T>(tasks: readonly T[], limit: number, work: (task: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await work(tasks[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
