import { sourceInput } from '../admin/api/sources.ts';
import { ConflictError, ValidationError } from '../core/errors.ts';
import { createRepos, type Repos } from '../db/repos/index.ts';
import { addSource } from '../ingest/discover.ts';
import { fetchOptions, type IngestOptions } from '../ingest/pipeline.ts';
import { resolveWithNodeDns } from '../ingest/ssrf.ts';
import { readEnv } from '../runtime/env.ts';
import { openDatabase } from '../runtime/node.ts';
import { type CliIo, type Command, UsageError } from './command.ts';

/** The database named by CHAPAR_DB and the ingest options the environment asks for, for one command. */
export async function withIngest<T>(io: CliIo, work: (repos: Repos, ingest: IngestOptions) => Promise<T>): Promise<T> {
  const env = readEnv(io.env);
  const database = openDatabase(env);
  try {
    return await work(createRepos(database), { allowPrivate: env.CHAPAR_FETCH_ALLOW_PRIVATE, resolve: resolveWithNodeDns });
  } finally {
    await database.close();
  }
}

/** `--name value` / `--name=value` options (repeatable) and the positional arguments. */
export function readOptions(args: string[], known: readonly string[]): { positional: string[]; options: Map<string, string[]>; flags: Set<string> } {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name = '', inline] = arg.slice(2).split(/=(.*)/s);
    if (name === 'json') {
      flags.add(name);
      continue;
    }
    if (!known.includes(name)) throw new UsageError(`unknown option --${name} (see --help)`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    options.set(name, [...(options.get(name) ?? []), value]);
  }
  return { positional, options, flags };
}

/** A 422 or 409 from the shared code, as the lines a terminal user reads. */
export function reportProblem(io: CliIo, command: string, error: unknown): number {
  if (error instanceof ValidationError) {
    io.err(`chapar ${command}: ${error.message}`);
    for (const p of error.problems) io.err(`  ${p.field}: ${p.message}`);
    return 1;
  }
  if (error instanceof ConflictError) {
    io.err(`chapar ${command}: ${error.message}`);
    return 1;
  }
  throw error;
}

export const sourcesCommand: Command = {
  name: 'sources',
  summary: 'list sources with their fetch state, or add one by feed or web page URL',
  usage: `chapar sources list [--json]
chapar sources add URL [--title TITLE] [--category SLUG]... [--interval MINUTES]
                       [--charset NAME] [--time-zone ZONE] [--json]

list prints one line per source: id, state, last status, next check, URL, last error.
add checks the address (private ones need CHAPAR_FETCH_ALLOW_PRIVATE=true), follows a web
page to the feed its <link rel="alternate"> names, and stores the source; the scheduler (or
chapar fetch ID) fetches it. Works on the database named by CHAPAR_DB.`,
  async run(args, io) {
    const [action, ...rest] = args;
    if (action === 'list') {
      const { positional, flags } = readOptions(rest, []);
      if (positional.length > 0) throw new UsageError('sources list takes no arguments');
      return withIngest(io, async (repos) => {
        const sources = [];
        for (let page = await repos.sources.list({ limit: 1000 }); page.length > 0; page = await repos.sources.list({ limit: 1000, afterId: page.at(-1)!.id })) sources.push(...page);
        for (const s of sources) {
          if (flags.has('json')) {
            const { etag: _e, lastModified: _l, bodyHash: _b, leaseOwner: _o, leaseUntil: _u, options: _p, ...shown } = s;
            io.out(JSON.stringify(shown));
          } else {
            const next = s.state === 'active' ? (s.nextCheckAt?.toISOString() ?? 'now') : '-';
            io.out([s.id, s.state, s.lastStatus ?? 'never', next, s.url, s.lastError && s.errorCount > 0 ? s.lastError : ''].join('\t').trimEnd());
          }
        }
        return 0;
      });
    }
    if (action === 'add') {
      const { positional, options, flags } = readOptions(rest, ['title', 'category', 'interval', 'charset', 'time-zone']);
      if (positional.length !== 1) throw new UsageError('sources add needs one URL, e.g. chapar sources add https://www.example.ir/');
      const one = (name: string) => options.get(name)?.at(-1);
      const interval = one('interval');
      const parsed = sourceInput.safeParse({
        url: positional[0],
        ...(one('title') !== undefined ? { title: one('title') } : {}),
        ...(options.has('category') ? { categories: options.get('category') } : {}),
        ...(interval !== undefined ? { intervalMinutes: Number(interval) } : {}),
        ...(one('charset') !== undefined ? { charset: one('charset') } : {}),
        ...(one('time-zone') !== undefined ? { timeZone: one('time-zone') } : {}),
      });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) io.err(`chapar sources add: ${issue.path.join('.') || 'input'}: ${issue.message}`);
        return 2;
      }
      return withIngest(io, async (repos, ingest) => {
        try {
          const source = await addSource(repos, parsed.data, fetchOptions(ingest));
          io.out(flags.has('json') ? JSON.stringify({ id: source.id, url: source.url }) : `added source ${source.id}: ${source.url}`);
          return 0;
        } catch (error) {
          return reportProblem(io, 'sources add', error);
        }
      });
    }
    throw new UsageError('expected list or add URL (see --help)');
  },
};
