/**
 * `npm run bench`: Chapar side by side with a bare Hono server, the goals of issue 9 judged, the
 * results filed in bench/RESULTS.md (and bench/results/<mode>.json).
 *
 *   npm run bench                          ratios, 1k/21k tiers, push ingest, parse, 10k upstreams (~10 min)
 *   npm run bench -- --items 1000000       the same plus a 1M-item archive (generated directly)
 *   npm run bench -- --load                issue 10: 60 s mixed load, then a 5-minute soak
 *   npm run bench:smoke                    a tiny run that only checks the harness works
 *
 * Options: --rounds N (4) --seconds S (5) --warmup S (2) --connections N (50) --ingest N (20000)
 * --driver wrk|autocannon (wrk when on PATH, e.g. apt-get install wrk; else autocannon from npm)
 * --sources N (10000) --archive FILE --reuse-archive (keep a generated archive for the next run)
 * --load-seconds S (60) --soak-seconds S (300) --out FILE --no-write (leave RESULTS.md alone)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BaselineSpec } from './baseline.ts';
import { generateArchive } from './gen/archive.ts';
import { COMMON_WORD, SEARCH_WORD } from './gen/persian.ts';
import { judge } from './judge.ts';
import { loadTest, soakTest } from './load.ts';
import { wrkInstalled, type Driver } from './lib/load.ts';
import { feedRequestPlans, type RequestPlan } from './lib/plans.ts';
import { admin, createCategoriesAndFeeds, pushItems, waitForSearchIndex } from './lib/seed.ts';
import { get } from './lib/probe.ts';
import { canPin, codeVersion, machine, pinSelf } from './lib/proc.ts';
import type { Comparison, RunResults } from './lib/results.ts';
import { ROOT, startBaseline, startChapar, type Running } from './lib/servers.ts';
import { parseThroughput } from './parse.ts';
import { measurePushFloor } from './push-floor.ts';
import { compare, type RoundOptions } from './ratios.ts';
import { fileRun } from './report.ts';
import { BROWSER_UA, measureTier, type TierOptions } from './tiers.ts';
import { measureUpstreams } from './upstream.ts';

const { values: args } = parseArgs({
  options: {
    items: { type: 'string' },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    ingest: { type: 'string' },
    driver: { type: 'string' },
    archive: { type: 'string' },
    'reuse-archive': { type: 'boolean' },
    load: { type: 'boolean' },
    'load-seconds': { type: 'string' },
    'soak-seconds': { type: 'string' },
    sources: { type: 'string' },
    smoke: { type: 'boolean' },
    out: { type: 'string' },
    'no-write': { type: 'boolean' },
  },
});

const smoke = args.smoke ?? false;
const num = (value: string | undefined, fallback: number, smokeValue: number) => (value !== undefined ? Number(value) : smoke ? smokeValue : fallback);
const largeItems = num(args.items, 0, 500);
const mode = smoke ? 'smoke' : args.load ? 'load' : largeItems > 0 ? `items-${largeItems}` : 'default';
const driver: Driver = (args.driver as Driver | undefined) ?? (!smoke && wrkInstalled() ? 'wrk' : 'autocannon');
const pinned = !smoke && canPin();
const rounds: RoundOptions = {
  driver,
  connections: num(args.connections, 50, 10),
  rounds: num(args.rounds, 4, 1),
  seconds: num(args.seconds, 5, 1),
  warmupSeconds: num(args.warmup, 2, 0),
};
const serverCore = pinned ? 0 : null;
const log = (line: string) => console.error(line);
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

const work = mkdtempSync(join(tmpdir(), 'chapar-bench-'));
const configDir = join(work, 'config');
mkdirSync(configDir);

function results(): RunResults {
  const { loadAverage, ...rest } = machine();
  return {
    mode,
    date: new Date().toISOString(),
    command,
    code: codeVersion(ROOT),
    machine: { ...rest, loadAverageBefore: loadAverage, loadAverageAfter: [] },
    setup: {
      driver: driver === 'wrk' ? 'wrk (1 thread)' : 'autocannon 9 (in process)',
      pinned,
      connections: rounds.connections,
      rounds: rounds.rounds,
      seconds: rounds.seconds,
      warmupSeconds: rounds.warmupSeconds,
      accessLogs: 'access logs off (CHAPAR_LOG_LEVEL=silent), scheduler off (CHAPAR_CRON=off), fresh SQLite file in a temp folder, empty CHAPAR_CONFIG_DIR',
    },
    feedBytes: null,
    comparisons: [],
    tiers: [],
    ingest: null,
    parse: null,
    clicks: null,
    upstream: null,
    plans: [],
    load: null,
    soak: null,
    figures: [],
    notes: [],
  };
}

/** The feed, its 304 and one redirect, captured from Chapar for the baseline to replay. */
async function baselineSpec(chapar: Running, code: string): Promise<{ spec: BaselineSpec; body: Buffer }> {
  const feed = await get(`${chapar.url}/feeds/bench.rss`);
  if (feed.status !== 200) throw new Error(`bench: the feed answered ${feed.status}`);
  const etag = String(feed.headers.etag);
  const notModified = await get(`${chapar.url}/feeds/bench.rss`, { 'if-none-match': etag });
  if (notModified.status !== 304) throw new Error(`bench: If-None-Match answered ${notModified.status}, not 304`);
  const redirect = await get(`${chapar.url}/s/${code}`, { 'user-agent': BROWSER_UA });
  if (redirect.status !== 302) throw new Error(`bench: /s/${code} answered ${redirect.status}, not 302`);
  const plain = (headers: typeof feed.headers) =>
    Object.fromEntries(
      Object.entries(headers)
        .filter(([name]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name))
        .map(([name, value]) => [name, String(value)]),
    );
  const bodyFile = join(work, 'feed.rss');
  writeFileSync(bodyFile, feed.body);
  return {
    body: feed.body,
    spec: {
      port: 0,
      feedPath: '/feeds/bench.rss',
      feedBodyFile: bodyFile,
      feedHeaders: plain(feed.headers),
      notModifiedHeaders: plain(notModified.headers),
      etag,
      redirectPath: '/s/:code',
      location: String(redirect.headers.location),
    },
  };
}

async function clicksOf(base: string, code: string): Promise<number> {
  const answer = await admin(base, 'GET', `/links/${code}`);
  return (JSON.parse(answer.body.toString()) as { clicks: number }).clicks;
}

async function checkBaseline(baseline: Running, spec: BaselineSpec, body: Buffer, code: string): Promise<void> {
  const feed = await get(`${baseline.url}${spec.feedPath}`);
  if (feed.status !== 200 || !feed.body.equals(body)) throw new Error('bench: the baseline does not serve the same feed bytes');
  if ((await get(`${baseline.url}${spec.feedPath}`, { 'if-none-match': spec.etag })).status !== 304) throw new Error('bench: the baseline gives no 304');
  const redirect = await get(`${baseline.url}/s/${code}`);
  if (redirect.status !== 302 || redirect.headers.location !== spec.location) throw new Error('bench: the baseline redirect differs');
}

async function ratiosAndTiers(r: RunResults): Promise<{ body: Buffer; plansDb: string }> {
  const db = join(work, 'chapar.db');
  const tierOptions = (codes: string[]): TierOptions => ({
    probes: smoke ? 5 : 200,
    probeSeconds: smoke ? 1 : 10,
    servingSeconds: smoke ? 1 : 5,
    connections: rounds.connections,
    codes,
  });
  log(`bench: starting Chapar (${db})`);
  const chapar = await startChapar({ db, configDir, core: serverCore });
  let baseline: Running | null = null;
  try {
    await createCategoriesAndFeeds(chapar.url);
    const seed = await pushItems(chapar.url, 0, 1000, chapar.pid);
    log('bench: 1,000 items pushed; probing');
    r.tiers.push(await measureTier(chapar, 1000, 'API pushes', tierOptions(seed.codes), log));

    // Side by side right after seeding, before the bulk-ingest stage: both servers answer a third
    // fewer 304s a second after a history of 1 MB request bodies (measured by hand, RESULTS.md),
    // and only Chapar would have that history.
    const code = seed.codes[0]!;
    const { spec, body } = await baselineSpec(chapar, code);
    r.feedBytes = body.byteLength;
    const specFile = join(work, 'baseline.json');
    writeFileSync(specFile, JSON.stringify(spec));
    baseline = await startBaseline(specFile, serverCore);
    await checkBaseline(baseline, spec, body, code);

    log('bench: side by side');
    const comparisons: Comparison[] = [];
    comparisons.push(await compare(chapar, baseline, { id: 'feed', name: 'cached feed', path: '/feeds/bench.rss' }, rounds, log));
    comparisons.push(await compare(chapar, baseline, { id: 'not-modified', name: '304 on If-None-Match', path: '/feeds/bench.rss', headers: { 'if-none-match': spec.etag } }, rounds, log));
    const clicksBefore = await clicksOf(chapar.url, code);
    const redirect = await compare(chapar, baseline, { id: 'redirect', name: 'short-link redirect, clicks counted', path: `/s/${code}`, headers: { 'user-agent': BROWSER_UA } }, rounds, log);
    comparisons.push(redirect);
    r.comparisons = comparisons;

    const ingestCount = num(args.ingest, 20_000, 1000);
    log(`bench: pushing ${ingestCount} more items in batches of 1,000`);
    const { codes, ...ingest } = await pushItems(chapar.url, 1000, ingestCount, chapar.pid);
    // The search index is written behind the pushes: time its catch-up too, before the probes.
    const search = await waitForSearchIndex(chapar.url, chapar.pid);
    r.ingest = { ...ingest, search };
    log(`bench: push ingest ${ingest.itemsPerSecond.toFixed(0)} items/s; search index caught up ${search.seconds.toFixed(1)} s later`);
    r.tiers.push(await measureTier(chapar, 1000 + ingestCount, 'API pushes', tierOptions([...seed.codes, ...codes]), log));
    // Clicks are written in batches every second: give the flush time, then read the link's stats.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    r.clicks = { requests: redirect.chapar.requests, counted: (await clicksOf(chapar.url, code)) - clicksBefore };
    return { body, plansDb: db };
  } finally {
    await baseline?.stop();
    await chapar.stop();
  }
}

async function largeTier(r: RunResults): Promise<string> {
  const file = args.archive ?? join(smoke ? work : join(tmpdir(), 'chapar-bench-archives'), `archive-${largeItems}.db`);
  mkdirSync(dirname(file), { recursive: true });
  log(`bench: archive of ${largeItems} items at ${file}`);
  const info = await generateArchive(file, largeItems, { reuse: args['reuse-archive'] ?? false, log });
  r.notes.push(
    `The ${largeItems.toLocaleString('en-US')}-item archive was ${info.reused ? 'reused from an earlier run of' : `written in ${info.seconds.toFixed(0)} s by`} bench/gen/archive.ts (${(info.bytes / 1e6).toFixed(0)} MB): the app's openSqlite, repositories and prepareItem, then direct prepared INSERTs of the rows a push writes; then the items repository's indexSearch wrote the search index, as the server's background indexer does. No ANALYZE, as in production.`,
  );
  const chapar = await startChapar({ db: file, configDir, core: serverCore });
  try {
    const codes = Array.from({ length: 1000 }, (_, i) => String(1001 + Math.floor((i / 1000) * largeItems)));
    r.tiers.push(
      await measureTier(
        chapar,
        largeItems,
        'bench/gen/archive.ts',
        { probes: smoke ? 5 : 200, probeSeconds: smoke ? 1 : 20, servingSeconds: smoke ? 1 : 10, connections: rounds.connections, codes },
        log,
      ),
    );
  } finally {
    await chapar.stop();
  }
  return file;
}

async function plansOf(file: string): Promise<RequestPlan[]> {
  return feedRequestPlans(file, [
    { name: 'feed', slug: 'bench', query: {} },
    { name: 'category feed', slug: 'bench-eqtesad', query: {} },
    { name: 'search, rare word', slug: 'bench', query: { q: [SEARCH_WORD] } },
    { name: 'search, common word', slug: 'bench', query: { q: [COMMON_WORD] } },
  ]);
}

async function benchRun(r: RunResults): Promise<void> {
  const { body, plansDb } = await ratiosAndTiers(r);
  if (r.ingest) {
    log('bench: the push floor (the same rows by plain INSERTs, on the server core)');
    r.ingest.floor = measurePushFloor({ items: smoke ? 2000 : r.ingest.items, work, core: serverCore });
  }
  log('bench: parse throughput');
  r.parse = await parseThroughput(body, 'http://localhost/feeds/bench.rss', { rounds: smoke ? 1 : 6, seconds: smoke ? 0.2 : 2 });
  r.upstream = await measureUpstreams({ sources: num(args.sources, 10_000, 20), work, log, core: serverCore });
  const planFile = largeItems > 0 ? await largeTier(r) : plansDb;
  r.plans = await plansOf(planFile);
}

async function loadRun(r: RunResults): Promise<void> {
  const chapar = await startChapar({ db: join(work, 'load.db'), configDir, core: serverCore });
  try {
    await createCategoriesAndFeeds(chapar.url);
    const { codes } = await pushItems(chapar.url, 0, 2000);
    const connections = rounds.connections;
    const loadSeconds = num(args['load-seconds'], 60, 2);
    log(`bench: load, ${connections} connections for ${loadSeconds} s`);
    r.load = await loadTest(chapar, { seconds: loadSeconds, connections, pushEvery: 20, pushSize: 10, codes });
    const soakSeconds = num(args['soak-seconds'], 300, 3);
    log(`bench: soak, ${soakSeconds} s`);
    r.soak = await soakTest(chapar, { seconds: soakSeconds, connections, pushEvery: 200, pushSize: 10, codes, sampleSeconds: smoke ? 1 : 10 });
  } finally {
    await chapar.stop();
  }
}

async function main(): Promise<void> {
  if (pinned) pinSelf(1);
  const r = results();
  try {
    if (mode === 'load' || (smoke && args.load)) await loadRun(r);
    else {
      await benchRun(r);
      if (smoke) await loadRun(r);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  r.machine.loadAverageAfter = machine().loadAverage;
  r.figures = judge(r);
  const out = args.out ?? (smoke ? join(tmpdir(), 'chapar-bench-smoke.json') : join(ROOT, 'bench', 'results', `${mode}.json`));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(r, null, 2));
  if (!smoke && !args['no-write']) fileRun(join(ROOT, 'bench', 'RESULTS.md'), r);
  for (const f of r.figures) log(`${f.pass === null ? '  -  ' : f.pass ? ' pass' : ' FAIL'}  ${f.name}: ${f.actual} (goal ${f.goal})`);
  log(`bench: results in ${out}`);
}

await main();
