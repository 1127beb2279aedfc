/**
 * robots.txt, read the way RFC 9309 says: a missing file (4xx) allows everything, an
 * unreachable one (5xx, network) forbids everything until it can be read. Parsed by
 * robots-parser; cached per origin for at most a day (§2.4).
 */
import robotsParser from 'robots-parser';
import { DEFAULT_USER_AGENT, fetchFeed, type FetchOptions } from '../fetch.ts';

export interface RobotsVerdict {
  allowed: boolean;
  /** Crawl-delay for Chapar in ms, when the file sets one. */
  crawlDelayMs: number | null;
  /** Why not, when not allowed. */
  reason: string | null;
}

type Rules = { kind: 'rules'; robots: ReturnType<typeof robotsParser> } | { kind: 'allow-all' } | { kind: 'unreachable'; why: string };

/** RFC 9309 §2.5: at least 500 KiB must be parsed; nothing beyond is needed. */
const MAX_BYTES = 512 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A Crawl-delay longer than this would stall a poll; the delay is capped, the site still spared. */
const MAX_CRAWL_DELAY_MS = 30_000;

export class RobotsCache {
  private readonly rules = new Map<string, { rules: Promise<Rules>; until: number }>();

  constructor(
    private readonly ttlMs = DAY_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * May Chapar fetch `url`? `run` wraps the robots.txt request (the per-host gate), so it
   * waits its turn like any other request to the site. Callers asking at once share one read.
   */
  async check(url: string, fetch: FetchOptions, run: <T>(task: () => Promise<T>) => Promise<T> = (task) => task()): Promise<RobotsVerdict> {
    const origin = new URL(url).origin;
    let cached = this.rules.get(origin);
    if (!cached || cached.until <= this.clock()) {
      cached = { rules: run(() => readRules(origin, fetch)), until: Number.POSITIVE_INFINITY };
      this.rules.set(origin, cached);
      const entry = cached;
      const rules = await entry.rules;
      // An unreadable robots.txt is asked for again next time; a read one is kept for a day.
      if (rules.kind === 'unreachable') this.rules.delete(origin);
      else entry.until = this.clock() + this.ttlMs;
    }
    return verdict(await cached.rules, url, fetch.userAgent ?? DEFAULT_USER_AGENT);
  }
}

async function readRules(origin: string, fetch: FetchOptions): Promise<Rules> {
  const url = `${origin}/robots.txt`;
  const result = await fetchFeed({ url }, { ...fetch, maxBytes: Math.min(fetch.maxBytes ?? MAX_BYTES, MAX_BYTES) });
  // After a redirect the rules still speak for the origin asked about (RFC 9309 §2.3.1.2).
  if (result.kind === 'ok') return { kind: 'rules', robots: robotsParser(url, new TextDecoder().decode(result.bytes)) };
  if (result.kind === 'gone') return { kind: 'allow-all' };
  if (result.kind === 'error' && result.status !== null && result.status >= 400 && result.status < 500) return { kind: 'allow-all' };
  const why = result.kind === 'error' ? result.message : `${url} answered ${result.status}`;
  return { kind: 'unreachable', why };
}

function verdict(rules: Rules, url: string, userAgent: string): RobotsVerdict {
  if (rules.kind === 'allow-all') return { allowed: true, crawlDelayMs: null, reason: null };
  if (rules.kind === 'unreachable') {
    return { allowed: false, crawlDelayMs: null, reason: `robots.txt could not be read (${rules.why}); Chapar waits until it can` };
  }
  const delay = rules.robots.getCrawlDelay(userAgent);
  const crawlDelayMs = delay === undefined || !(delay > 0) ? null : Math.min(delay * 1000, MAX_CRAWL_DELAY_MS);
  const allowed = rules.robots.isAllowed(url, userAgent) !== false;
  return { allowed, crawlDelayMs, reason: allowed ? null : `robots.txt disallows ${new URL(url).pathname} for Chapar` };
}
