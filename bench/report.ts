/**
 * Renders a run's results as Markdown and files them in bench/RESULTS.md between markers named
 * after the run's mode, so each kind of run replaces only its own block and sections other
 * people add to the file stay as they are.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { RequestPlan } from './lib/plans.ts';
import type { PushFloor } from './push-floor.ts';
import type { Comparison, Figure, LoadReport, ProbeStats, RunResults, SoakReport, Tier } from './lib/results.ts';

const n0 = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const verdict = (pass: boolean | null) => (pass === null ? '—' : pass ? '**pass**' : '**FAIL**');
const mib = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(0)} MiB`);

function figures(list: Figure[]): string[] {
  return [
    '| figure | goal | actual | result | note |',
    '|---|---|---|---|---|',
    ...list.map((f) => `| ${f.name} | ${f.goal} | ${f.actual} | ${verdict(f.pass)} | ${f.note ?? ''} |`),
  ];
}

function comparisons(list: Comparison[]): string[] {
  if (list.length === 0) return [];
  return [
    '',
    '#### Side by side with the bare baseline (median of rounds)',
    '',
    '| figure | Chapar req/s | p50 / p99 ms | baseline req/s | p50 / p99 ms | ratio | per-round ratios | CPU µs/req Chapar / baseline | CPU ratio | server CPU busy Chapar / baseline |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...list.map((c) => {
      const cpu = c.chapar.cpuUsPerRequest !== null && c.baseline.cpuUsPerRequest !== null ? `${c.chapar.cpuUsPerRequest.toFixed(0)} / ${c.baseline.cpuUsPerRequest.toFixed(0)}` : 'n/a';
      const busy = c.chapar.cpuBusy !== null && c.baseline.cpuBusy !== null ? `${pct(c.chapar.cpuBusy)} / ${pct(c.baseline.cpuBusy)}` : 'n/a';
      return `| ${c.name} (\`${c.path}\`) | ${n0(c.chapar.rps)} | ${ms(c.chapar.p50Ms)} / ${ms(c.chapar.p99Ms)} | ${n0(c.baseline.rps)} | ${ms(c.baseline.p50Ms)} / ${ms(c.baseline.p99Ms)} | ${c.ratio.toFixed(2)} | ${c.roundRatios.map((r) => r.toFixed(2)).join(', ')} | ${cpu} | ${c.cpuRatio?.toFixed(2) ?? 'n/a'} | ${busy} |`;
    }),
    '',
    `Errors: ${list.map((c) => `${c.id} ${c.chapar.errors + c.chapar.badStatus} / ${c.baseline.errors + c.baseline.badStatus}`).join(', ')} (Chapar / baseline; socket errors plus 4xx/5xx).`,
  ];
}

function tiers(list: Tier[]): string[] {
  if (list.length === 0) return [];
  const p = (s: ProbeStats) => `${ms(s.p50Ms)} / ${ms(s.p99Ms)} / ${s.cpuMs === null ? 'n/a' : ms(s.cpuMs)} (${s.count})`;
  return [
    '',
    '#### Feed latency by archive size (sequential requests over one connection: p50 / p99 ms / server CPU ms per request (requests))',
    '',
    '| items | built by | feed, uncached | category feed, uncached | `q=` rare word | `q=` common word | feed, cached | RSS at rest | RSS serving (max) | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...list.map(
      (t) =>
        `| ${n0(t.items)} | ${t.how} | ${p(t.feed)} | ${p(t.categoryFeed)} | ${p(t.searchRare)} (${pct(t.searchShares.rare)} of items) | ${p(t.searchCommon)} (${pct(t.searchShares.common)}) | ${p(t.cachedFeed)} | ${mib(t.rssMiB)} | ${mib(t.servingRssMiB)} | ${mib(t.peakRssMiB)} |`,
    ),
  ];
}

function plans(list: RequestPlan[]): string[] {
  if (list.length === 0) return [];
  const out = ['', '#### Query plans and statement times at the largest archive (EXPLAIN QUERY PLAN; median of 5 runs, in process)', ''];
  for (const plan of list) {
    out.push(`\`${decodeURIComponent(plan.url)}\`:`, '', '```');
    for (const s of plan.statements) {
      const sql = s.sql.replace(/\s+/g, ' ').replace(/^select .*? from/, 'select … from');
      out.push(`-- ${ms(s.ms)} ms, ${s.rows} rows`, sql.length > 400 ? `${sql.slice(0, 400)}…` : sql, ...s.plan.map((line) => `   ${line}`));
    }
    out.push('```', '');
  }
  return out;
}

function loadLines(title: string, load: LoadReport | SoakReport | null): string[] {
  if (!load) return [];
  const statuses = Object.entries(load.statuses)
    .map(([code, count]) => `${code}: ${n0(count)}`)
    .join(', ');
  const out = [
    '',
    `#### ${title}`,
    '',
    `${load.connections} connections for ${n0(load.seconds)} s; ${load.mix}.`,
    '',
    `| requests | req/s | errors | p50 ms | p99 ms | max ms | pushes acknowledged (items) | statuses |`,
    '|---|---|---|---|---|---|---|---|',
    `| ${n0(load.requests)} | ${n0(load.rps)} | ${load.errors} | ${ms(load.p50Ms)} | ${ms(load.p99Ms)} | ${ms(load.maxMs)} | ${n0(load.pushes)} (${n0(load.itemsPushed)}) | ${statuses} |`,
  ];
  if ('rss' in load) {
    out.push(
      '',
      `Resident memory (VmRSS, MiB) every sample, as [seconds, MiB]: ${load.rss.map(([t, v]) => `[${t}, ${v}]`).join(' ')}`,
      ...(load.heap ? ['', `V8 heap used and external memory (MiB, the server's /metrics) at the same moments, as [seconds, heap, external]: ${load.heap.map(([t, h, e]) => `[${t}, ${h}, ${e}]`).join(' ')}`] : []),
      '',
      `Last minute's mean minus the second minute's: ${load.growthMiB >= 0 ? '+' : ''}${load.growthMiB.toFixed(1)} MiB (${pct(load.growthShare)}).`,
    );
  }
  return out;
}

export function renderRun(r: RunResults): string {
  const pinning = r.setup.pinned ? 'servers pinned to core 0, load generator and harness to core 1 (taskset)' : 'no core pinning';
  const lines = [
    `### Run \`${r.mode}\``,
    '',
    `- Date: ${r.date}`,
    `- Command: \`${r.command}\``,
    `- Code: commit ${r.code.commit}${r.code.dirty.length > 0 ? ` plus uncommitted changes (others' work in progress) in ${r.code.dirty.map((f) => `\`${f}\``).join(', ')}` : ', clean src/'}`,
    `- Machine: ${r.machine.nproc} cores (${r.machine.cpuModel}), Node ${r.machine.node}; load average before ${r.machine.loadAverageBefore.join(' ')}, after ${r.machine.loadAverageAfter.join(' ')}`,
    r.comparisons.length > 0
      ? `- Load generator: ${r.setup.driver}, ${r.setup.connections} connections; ${r.setup.rounds} rounds × ${r.setup.seconds} s per side, alternating Chapar and baseline, after ${r.setup.warmupSeconds} s warm-up each; ${pinning}`
      : `- Load generator: autocannon 9 in the harness process (a request cycle per connection); ${pinning}`,
    `- Servers: Chapar started as \`npm start\` does (\`node scripts/build.mjs\`, then \`node bin/chapar.mjs serve\` running the bundle), ${r.setup.accessLogs}${r.comparisons.length > 0 ? '; baseline `bench/baseline.ts` (Hono on @hono/node-server, same bytes and headers, no work)' : ''}`,
    ...(r.feedBytes !== null ? [`- Feed under test: \`/feeds/bench.rss\`, 50 Persian items, ${n0(r.feedBytes)} bytes`] : []),
    '',
    ...figures(r.figures),
    ...comparisons(r.comparisons),
    ...tiers(r.tiers),
    ...(r.ingest
      ? [
          '',
          `Push ingest: ${n0(r.ingest.items)} items in ${r.ingest.batches} sequential pushes of 1,000 took ${r.ingest.seconds.toFixed(1)} s: **${n0(r.ingest.itemsPerSecond)} items/s**${r.ingest.serverCpuSeconds === null ? '' : ` (${n0(r.ingest.items / r.ingest.serverCpuSeconds)} items per second of server CPU)`}; slowest push ${n0(r.ingest.maxBatchMs)} ms; largest body ${n0(r.ingest.maxBodyBytes)} bytes.${searchCatchUp(r.ingest)}${pushFloor(r.ingest.floor)}`,
        ]
      : []),
    ...(r.parse
      ? ['', `Parse: ${n0(r.parse.bytes)} bytes of RSS (${r.parse.items} items), ${r.parse.rounds} alternating rounds: Chapar ${r.parse.chaparMBps.toFixed(1)} MB/s, fast-xml-parser ${r.parse.fxpMBps.toFixed(1)} MB/s, ratio **${r.parse.ratio.toFixed(2)}**.`]
      : []),
    ...(r.upstream && r.upstream.firstPassSeconds !== null
      ? [
          '',
          `Upstreams: ${n0(r.upstream.sources)} RSS sources on ${n0(r.upstream.hosts)} loopback addresses (127.x.y.z), one \`runIngestTick\` over all of them (\`maxSources\` = all, default concurrency and per-host cap) in bench/upstream-tick.ts on the server's core. First pass (every feed new, stored): ${r.upstream.firstPassSeconds.toFixed(1)} s ${JSON.stringify(r.upstream.firstPassStatuses)}; measured pass, one source in 20 changed: ${r.upstream.measuredPassSeconds?.toFixed(1) ?? 'n/a'} s ${JSON.stringify(r.upstream.measuredPassStatuses)}.${r.upstream.errors.length > 0 ? ` Errors: ${r.upstream.errors.join('; ')}` : ''}`,
        ]
      : []),
    ...(r.clicks ? ['', `Click counting: ${n0(r.clicks.requests)} redirects answered to a browser User-Agent, ${n0(r.clicks.counted)} clicks recorded by the link's stats.`] : []),
    ...loadLines('Load (issue 10)', r.load),
    ...loadLines('Soak (issue 10)', r.soak),
    ...plans(r.plans),
    ...(r.notes.length > 0 ? ['', '#### Notes', '', ...r.notes.map((note) => `- ${note}`)] : []),
  ];
  return lines.join('\n');
}

const begin = (mode: string) => `<!-- bench:run:${mode}:begin (written by npm run bench; edit outside these markers) -->`;
const end = (mode: string) => `<!-- bench:run:${mode}:end -->`;

/** Replaces this mode's block in the file, or adds it at the end; everything else is kept. */
export function fileRun(path: string, r: RunResults): void {
  const block = `${begin(r.mode)}\n${renderRun(r)}\n${end(r.mode)}`;
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
  const from = text.indexOf(begin(r.mode));
  const to = text.indexOf(end(r.mode));
  const next = from !== -1 && to > from ? text.slice(0, from) + block + text.slice(to + end(r.mode).length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}

/** The push floor measured beside the push (bench/push-floor.ts), when the run has one. */
function pushFloor(floor: PushFloor | undefined): string {
  if (!floor) return '';
  return ` The floor (bench/push-floor.ts, on the server's core, ${n0(floor.items)} items of each kind in alternating batches of 1,000): the same rows written by plain prepared INSERTs, no HTTP, JSON, validation, dedup lookup or short-code decision, ${n0(floor.insertsPerSecond)} items/s; with Chapar's \`prepareItem\` (sanitise, normalise, hash) inside the clock, ${n0(floor.preparedPerSecond)} items/s.`;
}

/** The search index's catch-up after the pushes, and the end-to-end rate counting its CPU too. */
function searchCatchUp(ingest: NonNullable<RunResults['ingest']>): string {
  const search = ingest.search;
  if (!search) return '';
  const cpu = ingest.serverCpuSeconds !== null && search.serverCpuSeconds !== null ? ingest.serverCpuSeconds + search.serverCpuSeconds : null;
  return ` The search index (written behind the pushes) caught up ${search.seconds.toFixed(1)} s after the last one${search.serverCpuSeconds === null ? '' : `, using ${search.serverCpuSeconds.toFixed(1)} s of server CPU`}${cpu === null ? '' : `; counting that, ${n0(ingest.items / cpu)} items per second of server CPU from push to searchable`}.`;
}
