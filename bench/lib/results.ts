/** The shape of one benchmark run's results: written as JSON, rendered into RESULTS.md. */
import type { RequestPlan } from './plans.ts';
import type { PushTiming, SearchCatchUp } from './seed.ts';
import type { ParseFigure } from '../parse.ts';
import type { PushFloor } from '../push-floor.ts';
import type { UpstreamReport } from '../upstream.ts';

/** One goal from issue 9 or 10, judged. `pass` null: not measured, or not at the size the goal names. */
export interface Figure {
  id: string;
  name: string;
  goal: string;
  actual: string;
  pass: boolean | null;
  note?: string;
}

export interface SideStats {
  /** Every request answered during the comparison, warm-up included. */
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU time per request (user + system), in µs. */
  cpuUsPerRequest: number | null;
  /** Share of one core the server used during the rounds. */
  cpuBusy: number | null;
  errors: number;
  badStatus: number;
}

export interface Comparison {
  id: string;
  name: string;
  path: string;
  chapar: SideStats;
  baseline: SideStats;
  /** Chapar req/s over baseline req/s, per round (A and B run back to back). */
  roundRatios: number[];
  /** Median of the round ratios: the figure the goal is judged on. */
  ratio: number;
  /** Baseline CPU per request over Chapar's: the same ratio, free of load-generator limits. */
  cpuRatio: number | null;
}

export interface ProbeStats {
  p50Ms: number;
  p99Ms: number;
  count: number;
  /** Server CPU time per request (user + system), in ms: what the request costs whatever else runs. */
  cpuMs: number | null;
}

export interface Tier {
  items: number;
  how: string;
  feed: ProbeStats;
  categoryFeed: ProbeStats;
  searchRare: ProbeStats;
  searchCommon: ProbeStats;
  cachedFeed: ProbeStats;
  /** Share of items holding each search word. */
  searchShares: { rare: number; common: number };
  rssMiB: number | null;
  /** Largest RSS seen while serving a mixed load at this size, and the process's peak (VmHWM). */
  servingRssMiB: number | null;
  peakRssMiB: number | null;
}

export interface LoadReport {
  seconds: number;
  connections: number;
  mix: string;
  requests: number;
  rps: number;
  errors: number;
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  pushes: number;
  itemsPushed: number;
}

export interface SoakReport extends LoadReport {
  /** [seconds since start, VmRSS MiB] every sample. */
  rss: [number, number][];
  /** [seconds since start, V8 heap used MiB, external MiB] at the same moments, from the server's /metrics. */
  heap?: [number, number, number][];
  /** Mean RSS of the last minute minus the mean of the second minute (the first is warm-up). */
  growthMiB: number;
  growthShare: number;
}

export interface RunResults {
  mode: string;
  date: string;
  command: string;
  /** The commit measured, and the src/ files that differed from it (others' work in progress). */
  code: { commit: string; dirty: string[] };
  machine: { nproc: number; cpuModel: string; node: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  setup: { driver: string; pinned: boolean; connections: number; rounds: number; seconds: number; warmupSeconds: number; accessLogs: string };
  feedBytes: number | null;
  comparisons: Comparison[];
  tiers: Tier[];
  ingest: (Omit<PushTiming, 'codes'> & { search?: SearchCatchUp; floor?: PushFloor }) | null;
  parse: ParseFigure | null;
  clicks: { requests: number; counted: number } | null;
  upstream: UpstreamReport | null;
  plans: RequestPlan[];
  load: LoadReport | null;
  soak: SoakReport | null;
  figures: Figure[];
  notes: string[];
}
