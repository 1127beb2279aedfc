/**
 * The fetch stage of ingest: one conditional GET of a source, redirects followed
 * by hand so every hop passes the SSRF guard, the body read under a byte cap and
 * a deadline. Runtime-neutral (global fetch, WebCrypto); upstream trouble comes
 * back as a FetchResult, never as a throw.
 */
import { checkUrl, FetchRefusedError } from './ssrf.ts';
import type { Resolve } from './ssrf.ts';

export interface FetchRequest {
  url: string;
  etag?: string | null;
  lastModified?: string | null;
}

export interface FetchOptions {
  /** Lets sources live on loopback/private addresses (CHAPAR_FETCH_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  /** DNS for the SSRF guard; Node passes `resolveWithNodeDns`, Workers nothing. */
  resolve?: Resolve;
  /** The whole fetch, redirects and body included. Default 20 s. */
  timeoutMs?: number;
  /** Until each hop's response headers arrive. Default 10 s. */
  connectTimeoutMs?: number;
  /** Body size after decompression. Default 10 MiB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  userAgent?: string;
  fetchImpl?: typeof fetch;
  now?: () => Date;
}

/** The answer's caching headers, as sent (`expires` parsed; null when absent or invalid). */
interface Validators {
  etag: string | null;
  lastModified: string | null;
  cacheControl: string | null;
  expires: Date | null;
}

export type FetchResult =
  | ({ kind: 'ok'; status: number; url: string; bytes: Uint8Array; contentType: string | null; ttlHintSeconds?: number } & Validators)
  | ({ kind: 'not-modified'; status: 304; url: string } & Validators)
  | { kind: 'gone'; status: 410; url: string }
  | { kind: 'retry-later'; status: number; url: string; retryAfter: Date | null }
  | { kind: 'error'; status: number | null; url: string; message: string };

export const DEFAULT_USER_AGENT = 'Chapar/0.1 (+https://github.com/chapar)';

const ACCEPT = [
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/rdf+xml',
  'application/xml;q=0.9',
  'text/xml;q=0.9',
  'application/json;q=0.8',
  'text/html;q=0.5',
  '*/*;q=0.1',
].join(', ');

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** An upstream problem already phrased for the user; becomes an `error` result. */
class UpstreamError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

type Settings = Required<Omit<FetchOptions, 'resolve'>> & Pick<FetchOptions, 'resolve'>;

function resolveOptions(opts: FetchOptions): Settings {
  const settings: Settings = {
    allowPrivate: opts.allowPrivate,
    resolve: opts.resolve,
    timeoutMs: opts.timeoutMs ?? 20_000,
    connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
    maxBytes: opts.maxBytes ?? 10 * 1024 * 1024,
    maxRedirects: opts.maxRedirects ?? 5,
    userAgent: opts.userAgent ?? DEFAULT_USER_AGENT,
    fetchImpl: opts.fetchImpl ?? globalThis.fetch.bind(globalThis),
    now: opts.now ?? (() => new Date()),
  };
  for (const key of ['timeoutMs', 'connectTimeoutMs', 'maxBytes'] as const) {
    if (!(settings[key] > 0)) throw new TypeError(`fetch: ${key} must be a positive number, got ${settings[key]}`);
  }
  if (!(settings.maxRedirects >= 0)) throw new TypeError(`fetch: maxRedirects must be 0 or more, got ${settings.maxRedirects}`);
  return settings;
}

/** One fetch's abort switch: the total deadline and the per-hop header deadline both pull it. */
class Deadline {
  readonly controller = new AbortController();
  private readonly total: ReturnType<typeof setTimeout>;

  constructor(ms: number, describe: () => string) {
    this.total = setTimeout(() => {
      this.abort(new UpstreamError(`fetch: ${describe()} did not finish within ${seconds(ms)}; will retry at the next poll`));
    }, ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason: UpstreamError): void {
    if (!this.signal.aborted) this.controller.abort(reason);
  }

  /** Rejects with the abort reason as soon as the deadline fires, even if `work` ignores the signal. */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.signal.aborted) return Promise.reject(this.signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(this.signal.reason);
      this.signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => this.signal.removeEventListener('abort', onAbort));
    });
  }

  close(): void {
    clearTimeout(this.total);
    this.abort(new UpstreamError('fetch: finished'));
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

export async function fetchFeed(req: FetchRequest, opts: FetchOptions): Promise<FetchResult> {
  const settings = resolveOptions(opts);
  let current = req.url;
  const deadline = new Deadline(settings.timeoutMs, () => current);
  try {
    const start = parseSourceUrl(req.url);
    const { response, url } = await followRedirects(start, req, settings, deadline, (hop) => {
      current = hop.href;
    });
    return await interpret(response, url, req, settings, deadline);
  } catch (err) {
    return errorResult(err, current);
  } finally {
    deadline.close();
  }
}

function parseSourceUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new UpstreamError(`fetch: ${JSON.stringify(text)} is not a valid address; fix the source's URL`);
  }
}

async function followRedirects(
  start: URL,
  req: FetchRequest,
  settings: Settings,
  deadline: Deadline,
  onHop: (url: URL) => void,
): Promise<{ response: Response; url: URL }> {
  let url = start;
  for (let hop = 0; ; hop++) {
    onHop(url);
    await deadline.race(checkUrl(url, settings));
    const response = await send(url, req, settings, deadline);
    if (!REDIRECTS.has(response.status)) return { response, url };
    discard(response);
    if (hop >= settings.maxRedirects) {
      throw new UpstreamError(`fetch: ${start.href} redirected more than ${settings.maxRedirects} times; check the source's address`, response.status);
    }
    url = redirectTarget(url, response);
  }
}

function redirectTarget(from: URL, response: Response): URL {
  const location = response.headers.get('location');
  if (location === null) {
    throw new UpstreamError(`fetch: ${from.href} answered ${response.status} without a Location; check the source's address`, response.status);
  }
  try {
    return new URL(location, from);
  } catch {
    throw new UpstreamError(`fetch: ${from.href} redirected to an invalid address ${JSON.stringify(location)}; check the source's address`, response.status);
  }
}

async function send(url: URL, req: FetchRequest, settings: Settings, deadline: Deadline): Promise<Response> {
  const headersTimer = setTimeout(() => {
    deadline.abort(new UpstreamError(`fetch: ${url.href} sent no answer within ${seconds(settings.connectTimeoutMs)}; will retry at the next poll`));
  }, settings.connectTimeoutMs);
  try {
    return await deadline.race(
      settings.fetchImpl(url.href, {
        method: 'GET',
        headers: requestHeaders(req, settings),
        redirect: 'manual',
        signal: deadline.signal,
      }),
    );
  } finally {
    clearTimeout(headersTimer);
  }
}

function requestHeaders(req: FetchRequest, settings: Settings): Headers {
  const headers = new Headers({
    Accept: ACCEPT,
    'Accept-Encoding': 'gzip, deflate, br',
    'User-Agent': settings.userAgent,
  });
  if (req.etag) headers.set('If-None-Match', req.etag);
  if (req.lastModified) headers.set('If-Modified-Since', req.lastModified);
  return headers;
}

async function interpret(response: Response, url: URL, req: FetchRequest, settings: Settings, deadline: Deadline): Promise<FetchResult> {
  const status = response.status;
  const href = url.href;
  if (status === 200 || status === 203) {
    const bytes = await readCapped(response, href, settings.maxBytes, deadline);
    const ttl = ttlHintSeconds(response.headers, settings.now());
    return {
      kind: 'ok',
      status,
      url: href,
      bytes,
      contentType: response.headers.get('content-type'),
      ...validators(response.headers),
      ...(ttl === null ? {} : { ttlHintSeconds: ttl }),
    };
  }
  discard(response);
  if (status === 304) {
    const sent = validators(response.headers);
    // A 304 may omit validators; the ones we sent are still the current ones.
    return { kind: 'not-modified', status, url: href, ...sent, etag: sent.etag ?? req.etag ?? null, lastModified: sent.lastModified ?? req.lastModified ?? null };
  }
  if (status === 410) return { kind: 'gone', status, url: href };
  if (status === 429 || status === 503) {
    return { kind: 'retry-later', status, url: href, retryAfter: parseRetryAfter(response.headers.get('retry-after'), settings.now()) };
  }
  return { kind: 'error', status, url: href, message: statusMessage(href, status) };
}

function statusMessage(url: string, status: number): string {
  if (status === 401 || status === 403) return `fetch: ${url} answered ${status}; the site wants a login or blocks Chapar, check the source in a browser`;
  if (status === 404) return `fetch: ${url} answered 404; the feed has moved or gone, check the source's address`;
  if (status >= 500) return `fetch: ${url} answered ${status}; will retry at the next poll`;
  return `fetch: ${url} answered ${status}, which is not a feed; check the source's address`;
}

function validators(headers: Headers): Validators {
  return {
    etag: headers.get('etag'),
    lastModified: headers.get('last-modified'),
    cacheControl: headers.get('cache-control'),
    expires: parseHttpDate(headers.get('expires')),
  };
}

/** Reads the (already decompressed) body, stopping the moment it passes `maxBytes`. */
async function readCapped(response: Response, url: string, maxBytes: number, deadline: Deadline): Promise<Uint8Array> {
  const tooLarge = (): UpstreamError =>
    new UpstreamError(`fetch: ${url} is larger than ${formatBytes(maxBytes)} after decompression; raise maxBytes or drop the source`, response.status);
  const declared = Number(response.headers.get('content-length'));
  // Only an identity body's length says anything about the decompressed size.
  if (!response.headers.has('content-encoding') && declared > maxBytes) {
    discard(response);
    throw tooLarge();
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await deadline.race(reader.read());
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw tooLarge();
      chunks.push(value);
    }
  } catch (err) {
    reader.cancel().catch(() => undefined);
    throw err;
  }
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MiB` : `${n} bytes`;
}

/** Frees the connection of a response whose body we do not want. */
function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

function errorResult(err: unknown, url: string): FetchResult {
  if (err instanceof UpstreamError) return { kind: 'error', status: err.status, url, message: err.message };
  if (err instanceof FetchRefusedError) return { kind: 'error', status: null, url, message: err.message };
  return { kind: 'error', status: null, url, message: `fetch: ${url} could not be reached (${networkCause(err)}); will retry at the next poll` };
}

/** undici hides the useful part (ECONNREFUSED, certificate errors) in `cause`. */
function networkCause(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof Error) return (cause as { code?: string }).code ?? cause.message;
  return err instanceof Error ? err.message : String(err);
}

/** Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): Date | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return new Date(now.getTime() + Number(trimmed) * 1000);
  return parseHttpDate(trimmed);
}

/** The three HTTP-date forms all start with a day name and carry hh:mm:ss; Date.parse alone takes "-5". */
function parseHttpDate(value: string | null): Date | null {
  if (value === null || !/^\s*[a-z]{3,9},?\s.*\d{1,2}:\d{2}:\d{2}/i.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** How long the upstream says its answer stays fresh: max-age, else Expires minus Date. */
function ttlHintSeconds(headers: Headers, now: Date): number | null {
  const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(headers.get('cache-control') ?? '')?.[1];
  if (maxAge !== undefined) return Number(maxAge);
  const expires = parseHttpDate(headers.get('expires'));
  if (expires === null) return null;
  const served = parseHttpDate(headers.get('date')) ?? now;
  return Math.max(0, Math.round((expires.getTime() - served.getTime()) / 1000));
}
