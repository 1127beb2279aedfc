/**
 * Chapar against the bare baseline, one figure at a time: a warm-up on each, then rounds that
 * alternate A B A B so a noisy neighbour hits both sides alike. Each round also reads the
 * server's CPU time, so the cost per request stands beside the throughput.
 */
import { load, type Driver, type LoadResult } from './lib/load.ts';
import { median } from './lib/probe.ts';
import { cpuMs } from './lib/proc.ts';
import type { Comparison, SideStats } from './lib/results.ts';
import type { Running } from './lib/servers.ts';

export interface RoundOptions {
  driver: Driver;
  connections: number;
  rounds: number;
  seconds: number;
  warmupSeconds: number;
}

export interface Target {
  id: string;
  name: string;
  path: string;
  headers?: Record<string, string>;
}

interface Round extends LoadResult {
  cpuMs: number | null;
}

async function round(server: Running, target: Target, opts: RoundOptions, seconds: number): Promise<Round> {
  const before = cpuMs(server.pid);
  const result = await load(opts.driver, { url: server.url + target.path, connections: opts.connections, seconds, ...(target.headers ? { headers: target.headers } : {}) });
  const after = cpuMs(server.pid);
  return { ...result, cpuMs: before === null || after === null ? null : after - before };
}

function side(rounds: Round[], warmup: Round | null): SideStats {
  const requests = rounds.reduce((n, r) => n + r.requests, 0);
  const seconds = rounds.reduce((n, r) => n + r.seconds, 0);
  const cpu = rounds.every((r) => r.cpuMs !== null) ? rounds.reduce((n, r) => n + r.cpuMs!, 0) : null;
  return {
    requests: requests + (warmup?.requests ?? 0),
    rps: median(rounds.map((r) => r.rps)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    cpuUsPerRequest: cpu === null ? null : (cpu * 1000) / requests,
    cpuBusy: cpu === null ? null : cpu / 1000 / seconds,
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    badStatus: rounds.reduce((n, r) => n + r.badStatus, 0),
  };
}

export async function compare(chapar: Running, baseline: Running, target: Target, opts: RoundOptions, log: (line: string) => void): Promise<Comparison> {
  const warmA = opts.warmupSeconds > 0 ? await round(chapar, target, opts, opts.warmupSeconds) : null;
  const warmB = opts.warmupSeconds > 0 ? await round(baseline, target, opts, opts.warmupSeconds) : null;
  const a: Round[] = [];
  const b: Round[] = [];
  for (let i = 0; i < opts.rounds; i++) {
    a.push(await round(chapar, target, opts, opts.seconds));
    b.push(await round(baseline, target, opts, opts.seconds));
    log(`  ${target.id} round ${i + 1}: chapar ${a[i]!.rps.toFixed(0)} req/s, baseline ${b[i]!.rps.toFixed(0)} req/s`);
  }
  const chaparSide = side(a, warmA);
  const baselineSide = side(b, warmB);
  const roundRatios = a.map((r, i) => r.rps / b[i]!.rps);
  return {
    ...target,
    chapar: chaparSide,
    baseline: baselineSide,
    roundRatios,
    ratio: median(roundRatios),
    cpuRatio: chaparSide.cpuUsPerRequest && baselineSide.cpuUsPerRequest ? baselineSide.cpuUsPerRequest / chaparSide.cpuUsPerRequest : null,
  };
}
