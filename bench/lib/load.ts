/**
 * One closed-loop load round against one URL: wrk when it is installed (a C client that keeps up
 * with 60 KB bodies), else autocannon from npm. Either way the same driver serves both sides of
 * a comparison, so ratios hold whichever it is.
 */
import { execFile } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

export type Driver = 'wrk' | 'autocannon';

export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** Answers of 4xx/5xx. */
  badStatus: number;
}

export function wrkInstalled(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its version.
    return (error as { status?: number }).status === 1;
  }
}

const run = promisify(execFile);

function wrkTime(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n;
}

/** Reads wrk's `--latency` report. Exported for the smoke test. */
export function parseWrk(out: string): LoadResult {
  const latency = (pct: string) => {
    const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    if (!m) throw new Error(`bench: no ${pct}% latency in wrk output:\n${out}`);
    return wrkTime(m[1]!, m[2]!);
  };
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(out);
  if (!total) throw new Error(`bench: no request count in wrk output:\n${out}`);
  const sockets = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = sockets ? sockets.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const requests = Number(total[1]);
  const seconds = wrkTime(total[2]!, total[3]!) / 1000;
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50Ms: latency('50'),
    p99Ms: latency('99'),
    errors,
    badStatus: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
  };
}

async function viaWrk(spec: LoadSpec): Promise<LoadResult> {
  const headers = Object.entries(spec.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const seconds = Math.max(1, Math.round(spec.seconds));
  const args = ['-t1', `-c${spec.connections}`, `-d${seconds}s`, '--latency', '--timeout', '10s', ...headers, spec.url];
  const { stdout } = await run('wrk', args, { maxBuffer: 1 << 20 });
  return parseWrk(stdout);
}

async function viaAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    headers: spec.headers ?? {},
    timeout: 10,
  });
  const badStatus = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => Number(code) >= 400)
    .reduce((sum, [, s]) => sum + Number(s.count), 0);
  return {
    requests: result.requests.total,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    badStatus,
  };
}

export function load(driver: Driver, spec: LoadSpec): Promise<LoadResult> {
  return driver === 'wrk' ? viaWrk(spec) : viaAutocannon(spec);
}
