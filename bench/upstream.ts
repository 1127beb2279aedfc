/**
 * Many upstream sources, mostly unchanged: a fake upstream on loopback answers each source's
 * feed with an ETag and a 304 to a matching If-None-Match; between the two passes one source in
 * twenty gains an item. The ingest runs in bench/upstream-tick.ts on the server's core, through
 * the app's own scheduler, pipeline and fetcher (SSRF guard on, private addresses allowed).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { onCore } from './lib/proc.ts';
import { ROOT } from './lib/servers.ts';

export interface UpstreamReport {
  sources: number;
  hosts: number;
  /** Null when not measured; `reason` says why. */
  firstPassSeconds: number | null;
  measuredPassSeconds: number | null;
  /** CPU seconds the ingest process used in the measured pass. */
  measuredPassCpuSeconds: number | null;
  firstPassStatuses: Record<string, number>;
  measuredPassStatuses: Record<string, number>;
  /** Sources one tick takes with the options the Node runtime passes (NODE_TICK in src/runtime/node.ts). */
  runtimeTickPicks: number | null;
  /** What the fake upstream answered during the measured pass. */
  upstreamAnswers: Record<string, number>;
  errors: string[];
  reason: string | null;
}

const CHANGED_EVERY = 20;

function feedXml(n: number, version: number): string {
  const items = Array.from({ length: 2 }, (_, i) => {
    const k = version + i;
    return `<item><title>خبر ${k} از منبع ${n}</title><link>https://upstream.example/${n}/${k}</link><guid>https://upstream.example/${n}/${k}</guid><description>متن کوتاه خبر شماره ${k}</description><pubDate>${new Date(Date.UTC(2026, 8, 1) + k * 3600_000).toUTCString()}</pubDate></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>منبع ${n}</title><link>https://upstream.example/${n}</link><description>منبع آزمایشی</description>${items.join('')}</channel></rss>\n`;
}

function fakeUpstream() {
  let version = 1;
  const answers: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    const m = /^\/feed\/(\d+)\.xml$/.exec(req.url ?? '');
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const n = Number(m[1]);
    const v = n % CHANGED_EVERY === 0 ? version : 1;
    const etag = `"s${n}-v${v}"`;
    if (req.headers['if-none-match'] === etag) {
      answers['304'] = (answers['304'] ?? 0) + 1;
      res.writeHead(304, { ETag: etag }).end();
      return;
    }
    answers['200'] = (answers['200'] ?? 0) + 1;
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', ETag: etag }).end(feedXml(n, v));
  });
  return {
    server,
    answers,
    advance() {
      version++;
      for (const key of Object.keys(answers)) delete answers[key];
    },
  };
}

export async function measureUpstreams(opts: { sources: number; work: string; log: (line: string) => void; core: number | null }): Promise<UpstreamReport> {
  const hosts = Math.max(1, Math.ceil(opts.sources / 10));
  const report: UpstreamReport = {
    sources: opts.sources,
    hosts,
    firstPassSeconds: null,
    measuredPassSeconds: null,
    measuredPassCpuSeconds: null,
    runtimeTickPicks: null,
    firstPassStatuses: {},
    measuredPassStatuses: {},
    upstreamAnswers: {},
    errors: [],
    reason: null,
  };
  if (!existsSync(join(ROOT, 'src/ingest/scheduler.ts'))) return { ...report, reason: 'src/ingest/scheduler.ts (runIngestTick) does not exist yet' };

  const upstream = fakeUpstream();
  upstream.server.listen(0, '0.0.0.0');
  await once(upstream.server, 'listening');
  const { port } = upstream.server.address() as { port: number };
  opts.log(`bench: ${opts.sources} upstream sources on ${hosts} loopback hosts`);
  const [command, args] = onCore(opts.core, process.execPath, ['--import', 'tsx', 'bench/upstream-tick.ts', join(opts.work, 'upstream.db'), String(port), String(opts.sources), String(hosts)]);
  const child = spawn(command, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  // Bounded: the goal is one 5-minute window; twice that for both passes is plenty.
  const deadline = setTimeout(() => child.kill('SIGKILL'), 15 * 60_000);
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const message = JSON.parse(line) as { msg: string; pass?: string; seconds?: number; cpuSeconds?: number; picked?: number; statuses?: Record<string, number>; errors?: string[] };
      if (message.msg === 'runtime') report.runtimeTickPicks = message.picked ?? null;
      else if (message.msg === 'advance') {
        upstream.advance();
        child.stdin.write('go\n');
      } else if (message.msg === 'pass' && message.pass === 'first') {
        report.firstPassSeconds = message.seconds!;
        report.firstPassStatuses = message.statuses!;
        report.errors.push(...(message.errors ?? []));
        opts.log(`bench: first pass ${message.seconds!.toFixed(1)} s ${JSON.stringify(message.statuses)}`);
      } else if (message.msg === 'pass') {
        report.measuredPassSeconds = message.seconds!;
        report.measuredPassCpuSeconds = message.cpuSeconds ?? null;
        report.measuredPassStatuses = message.statuses!;
        report.errors.push(...(message.errors ?? []));
        report.upstreamAnswers = { ...upstream.answers };
        opts.log(`bench: measured pass ${message.seconds!.toFixed(1)} s ${JSON.stringify(message.statuses)}`);
      }
    }
    const [code] = await exited;
    if (code !== 0 && report.measuredPassSeconds === null) report.reason = `bench/upstream-tick.ts exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`;
  } finally {
    clearTimeout(deadline);
    upstream.server.close();
  }
  return report;
}
