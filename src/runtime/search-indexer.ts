/**
 * Keeps the search index caught up behind the writes (migration 0003_search_behind) while a
 * Node server runs. A bulk push only stores items; this indexes them once the pushes pause, a
 * slice at a time between requests, and a trickle of writes at the next look. It never decides
 * what a search finds: a search indexes whatever is still behind before it reads
 * (ItemRepo.indexSearch), so this only moves that work off the reader's request.
 */
import type { ItemRepo } from '../db/repos/items.ts';
import type { Logger } from '../http/observe.ts';

export interface SearchIndexerOptions {
  /** How often the backlog is looked at. */
  intervalMs?: number;
  /** Indexing time per look, after which requests get the process back until the next one. */
  sliceMs?: number;
  /**
   * A backlog that grew by this many items or more since the last look means a burst of writes
   * (a bulk push): indexing waits for it to pause, so the burst keeps the core. A trickle (a
   * feed fetched, a push of a few items) is indexed at the next look, as is a growing backlog
   * past `maxBacklog`.
   */
  burstItems?: number;
  maxBacklog?: number;
}

export interface SearchIndexer {
  /** One look: index a slice unless a burst is growing the backlog (and it is not too large). Resolves when the slice is done. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startSearchIndexer(items: ItemRepo, log: Logger, options: SearchIndexerOptions = {}): SearchIndexer {
  const { intervalMs = 250, sliceMs = 100, burstItems = 500, maxBacklog = 50_000 } = options;
  let lastBacklog = 0;
  let running: Promise<void> | null = null;

  async function slice(): Promise<void> {
    const backlog = items.searchBehindNow() ?? (await items.searchBacklog());
    const burst = backlog - lastBacklog >= burstItems;
    lastBacklog = backlog;
    if (backlog === 0 || (burst && backlog < maxBacklog)) return;
    const until = performance.now() + sliceMs;
    const indexed = await items.indexSearch(() => performance.now() >= until);
    lastBacklog = Math.max(0, backlog - indexed);
    log('debug', 'search indexed', { items: indexed, backlog: lastBacklog });
  }

  const tick = () =>
    (running ??= slice()
      .catch((error: unknown) => log('error', 'search indexing failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        running = null;
      }));
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
