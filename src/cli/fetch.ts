import { NotFoundError } from '../core/errors.ts';
import { ingestSource, type IngestResult } from '../ingest/pipeline.ts';
import { runIngestTick } from '../ingest/scheduler.ts';
import { type CliIo, type Command, UsageError } from './command.ts';
import { readOptions, withIngest } from './sources.ts';

const FAILED = new Set(['error', 'retry-later', 'gone']);

function print(io: CliIo, result: IngestResult, json: boolean): void {
  if (json) {
    io.out(JSON.stringify({ ...result, nextCheckAt: result.nextCheckAt?.toISOString() ?? null }));
    return;
  }
  const counts = `${result.new} new, ${result.updated} updated, ${result.unchanged} unchanged`;
  if (result.error) io.err(`source ${result.sourceId} ${result.status}: ${result.error}`);
  else if (result.status === 'busy') io.out(`source ${result.sourceId} busy: another process is fetching it`);
  else io.out(`source ${result.sourceId} ${result.status}: ${counts}; next check ${result.nextCheckAt?.toISOString() ?? '-'}`);
}

export const fetchCommand: Command = {
  name: 'fetch',
  summary: 'fetch one source now, or every active source',
  usage: `chapar fetch [SOURCE_ID] [--json]

Fetches the source now, due or not, or without an ID every active source (4 at a time, at
most 2 per host), and prints one line per source: its status and how many items were new,
updated or unchanged, or the error. Exits 1 when a fetch failed. Uses CHAPAR_DB and
CHAPAR_FETCH_ALLOW_PRIVATE; safe beside a running server (sources are leased).`,
  async run(args, io) {
    const { positional, flags } = readOptions(args, []);
    if (positional.length > 1) throw new UsageError('fetch takes at most one SOURCE_ID');
    const [raw] = positional;
    if (raw !== undefined && !/^[1-9][0-9]{0,15}$/.test(raw)) throw new UsageError(`fetch needs a source ID (a whole number), not "${raw}"`);
    const json = flags.has('json');
    return withIngest(io, async (repos, ingest) => {
      let results: IngestResult[];
      if (raw !== undefined) {
        try {
          results = [await ingestSource({ repos, ingest }, Number(raw))];
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
          io.err(`chapar fetch: no source ${raw}; chapar sources list shows them`);
          return 1;
        }
      } else {
        results = (await runIngestTick({ repos, ingest }, { ignoreSchedule: true, maxSources: 100_000 })).results;
        if (results.length === 0 && !json) io.out('no active sources');
      }
      for (const result of results) print(io, result, json);
      return results.some((r) => FAILED.has(r.status)) ? 1 : 0;
    });
  },
};
