import type { AppDeps } from '../app-types.ts';
import type { IngestDeps } from '../ingest/pipeline.ts';
import { itemsChangedHook } from '../publish/websub.ts';

/** What a fetch started from the admin API or pages needs: the app's ingest settings and WebSub pings. */
export function ingestDepsFor(deps: AppDeps): IngestDeps & { ingest: NonNullable<IngestDeps['ingest']> & { allowPrivate: boolean } } {
  const { repos, config } = deps;
  return {
    repos,
    ingest: { ...config.ingest, allowPrivate: config.fetchAllowPrivate ?? config.ingest?.allowPrivate ?? false },
    onItemsChanged: itemsChangedHook(deps),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.log ? { log: deps.log } : {}),
  };
}
