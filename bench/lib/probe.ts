/**
 * Sequential latency probes: one request at a time over one kept-alive connection, so the
 * figure is what one reader waits, not what a queue of fifty adds to it.
 */
import http from 'node:http';

export interface ProbeResult {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Body bytes of the last answer. */
  bytes: number;
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

export function get(url: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return request('GET', url, headers);
}

export function request(method: string, url: string, headers: Record<string, string> = {}, body?: string | Buffer, retried = false): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(60_000, () => req.destroy(new Error(`bench: ${method} ${url} timed out`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close a kept-alive connection just as it is reused (Node's documented race):
      // the request never reached it, so sending it again on a new connection is safe.
      if (req.reusedSocket && error.code === 'ECONNRESET' && !retried) resolve(request(method, url, headers, body, true));
      else reject(error);
    });
    req.end(body);
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

export interface ProbeOptions {
  /** At most this many requests… */
  max: number;
  /** …or as many as fit in this many seconds, whichever ends first (at least 5). */
  seconds: number;
  expect?: number;
  headers?: Record<string, string>;
}

/** GETs `urlOf(i)` for i = 0, 1, … in turn; every answer must have status `expect` (200). */
export async function probe(urlOf: (i: number) => string, opts: ProbeOptions): Promise<ProbeResult> {
  const times: number[] = [];
  const until = performance.now() + opts.seconds * 1000;
  let bytes = 0;
  for (let i = 0; i < opts.max && (i < 5 || performance.now() < until); i++) {
    const url = urlOf(i);
    const started = performance.now();
    const answer = await get(url, opts.headers);
    times.push(performance.now() - started);
    const expect = opts.expect ?? 200;
    if (answer.status !== expect) throw new Error(`bench: GET ${url} answered ${answer.status}, expected ${expect}: ${answer.body.toString().slice(0, 300)}`);
    bytes = answer.body.byteLength;
  }
  times.sort((a, b) => a - b);
  return { count: times.length, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), maxMs: times.at(-1) ?? NaN, bytes };
}
