/** Seeds a running Chapar through its admin API, as an operator or a CMS would. */
import { benchItem, CATEGORIES } from '../gen/persian.ts';
import { request, type HttpAnswer } from './probe.ts';
import { cpuMs } from './proc.ts';
import { ADMIN_TOKEN } from './servers.ts';

/** The published feeds every tier has: everything, and one category. */
export const FEEDS = [
  { slug: 'bench', title: 'چاپار · همه خبرها', description: 'همه خبرهای بنچمارک', language: 'fa', limit: 50 },
  { slug: 'bench-eqtesad', title: 'چاپار · اقتصاد', description: 'خبرهای اقتصادی', language: 'fa', limit: 50, filter: { categories: ['eqtesad'] } },
] as const;

/** The admin API's largest push (MAX_PUSH) and the batch the issue asks for. */
export const BATCH = 1000;

/** One admin API call with a JSON body already serialised; anything but 2xx throws. */
export async function admin(base: string, method: string, path: string, json?: string): Promise<HttpAnswer> {
  const answer = await request(method, `${base}/api/v1${path}`, { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, json);
  if (answer.status >= 300) throw new Error(`bench: ${method} ${path} answered ${answer.status}: ${answer.body.toString().slice(0, 500)}`);
  return answer;
}

export async function createCategoriesAndFeeds(base: string): Promise<void> {
  for (const category of CATEGORIES) await admin(base, 'POST', '/categories', JSON.stringify(category));
  for (const feed of FEEDS) await admin(base, 'POST', '/feeds', JSON.stringify(feed));
}

export interface PushTiming {
  items: number;
  batches: number;
  seconds: number;
  itemsPerSecond: number;
  /** Slowest batch, in ms. */
  maxBatchMs: number;
  /** The largest request body, to show it fits the 1 MiB limit. */
  maxBodyBytes: number;
  /** The short code of every item pushed, in item order. */
  codes: string[];
  /** Server CPU seconds (user + system) the pushes used, when its pid was given. */
  serverCpuSeconds: number | null;
}

export interface SearchCatchUp {
  /** From the last push's answer until /metrics said nothing waits for the search index. */
  seconds: number;
  /** Server CPU seconds over the same span (the background indexer's work, mostly), when its pid was given. */
  serverCpuSeconds: number | null;
}

/**
 * Waits until the server's search index has caught up with what was pushed (migration 0003
 * writes it behind the items), polling /metrics every 50 ms, and times it.
 */
export async function waitForSearchIndex(base: string, pid?: number, timeoutMs = 600_000): Promise<SearchCatchUp> {
  const cpuBefore = pid === undefined ? null : cpuMs(pid);
  const started = performance.now();
  for (;;) {
    const metrics = (await request('GET', `${base}/metrics`, {})).body.toString();
    const backlog = /^chapar_search_backlog_items (\d+)$/m.exec(metrics)?.[1];
    if (backlog === undefined) throw new Error('bench: /metrics has no chapar_search_backlog_items');
    if (backlog === '0') break;
    if (performance.now() - started > timeoutMs) throw new Error(`bench: the search index still had ${backlog} items to go after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = pid === undefined ? null : cpuMs(pid);
  return { seconds, serverCpuSeconds: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / 1000 };
}

/** Pushes items `from`…`from+count-1` in batches of 1,000, one batch at a time, and times it (and the server's CPU, given its pid). */
export async function pushItems(base: string, from: number, count: number, pid?: number): Promise<PushTiming> {
  let cpu = 0;
  let maxBatchMs = 0;
  let maxBodyBytes = 0;
  let seconds = 0;
  const codes: string[] = [];
  for (let start = from; start < from + count; start += BATCH) {
    const size = Math.min(BATCH, from + count - start);
    // Built before the clock starts: the figure is the server's, not the generator's.
    const body = JSON.stringify(Array.from({ length: size }, (_, i) => benchItem(start + i)));
    maxBodyBytes = Math.max(maxBodyBytes, Buffer.byteLength(body));
    const cpuBefore = pid === undefined ? null : cpuMs(pid);
    const started = performance.now();
    const answer = await admin(base, 'POST', '/items', body);
    const ms = performance.now() - started;
    const cpuAfter = pid === undefined ? null : cpuMs(pid);
    cpu = cpuBefore === null || cpuAfter === null || cpu < 0 ? -1 : cpu + (cpuAfter - cpuBefore);
    const stored = (JSON.parse(answer.body.toString()) as { items: { status: string; shortCode: string | null }[] }).items;
    if (stored.length !== size) throw new Error(`bench: pushed ${size} items, the answer lists ${stored.length}`);
    for (const item of stored) if (item.shortCode) codes.push(item.shortCode);
    seconds += ms / 1000;
    maxBatchMs = Math.max(maxBatchMs, ms);
  }
  return { items: count, batches: Math.ceil(count / BATCH), seconds, itemsPerSecond: count / seconds, maxBatchMs, maxBodyBytes, codes, serverCpuSeconds: cpu < 0 ? null : cpu / 1000 };
}
