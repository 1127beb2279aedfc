/**
 * Clicks and feed polls, counted in memory on the request path and written in batches off it.
 * Plain TS with an explicit `flush()` that runtimes call: Node on an interval and at shutdown
 * (before the database closes), Workers through `ctx.waitUntil`.
 */
import type { AudienceRepo, ReaderSighting } from '../db/repos/audience.ts';
import type { LinkRepo } from '../db/repos/links.ts';
import type { Logger } from '../http/observe.ts';
import { classifyFeedClient } from './readers.ts';

/** Subscriber estimates count readers seen within this rolling window. */
export const READER_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** Readers unseen for longer are deleted; a day beyond the window so late flushes still land. */
const PRUNE_AFTER_MS = READER_WINDOW_MS + 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export interface TrafficOptions {
  now?: () => Date;
  log?: Logger;
  /** Distinct entries each buffer holds before new ones are dropped (counted in `dropped`). */
  maxKeys?: number;
  /**
   * Write after every request instead of waiting for the runtime's timer: the fallback when
   * no runtime flushes this recorder.
   */
  eager?: boolean;
}

export interface FeedPoll {
  slug: string;
  format: string;
  userAgent: string | null | undefined;
  /** The client's address as the runtime sees it; hashed with a secret salt, never stored. */
  ip: string | null | undefined;
}

export interface FlushReport {
  clicks: number;
  polls: number;
  readers: number;
  /** True when some part could not be written; it stays buffered for the next flush. */
  failed: boolean;
}

interface PendingReader {
  slug: string;
  name: string;
  seenAt: Date;
  /** Hosted readers: the key and reported count. */
  key?: string;
  subscribers: number | null;
  /** Other clients: hashed at flush time (the digest is async). */
  ip?: string;
  userAgent?: string;
}

export interface TrafficRecorder {
  readonly eager: boolean;
  /** A human click on `code`, from a page on `referrerHost` ('' for none). */
  click(code: string, referrerHost: string): void;
  /** A feed request answered 200 or 304. */
  poll(poll: FeedPoll): void;
  /** Writes everything buffered; never rejects. Calls queue: the last one covers all before it. */
  flush(): Promise<FlushReport>;
  /** Entries waiting, and events dropped because a buffer was full. */
  readonly pending: number;
  readonly dropped: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function createTrafficRecorder(repos: { links: Pick<LinkRepo, 'addClicks'>; audience: AudienceRepo }, options: TrafficOptions = {}): TrafficRecorder {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const maxKeys = Math.max(1, options.maxKeys ?? 10_000);
  let clicks = new Map<string, number>();
  let polls = new Map<string, number>();
  let readers = new Map<string, PendingReader>();
  let dropped = 0;
  let lastPrune = 0;

  // toISOString per request is the costly part of a day key: keep the current day's.
  let dayStart = 0;
  let dayKey = '';
  const dayOf = (at: Date) => {
    const ms = at.getTime();
    if (ms < dayStart || ms >= dayStart + DAY_MS) {
      dayStart = ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
      dayKey = new Date(dayStart).toISOString().slice(0, 10);
    }
    return dayKey;
  };

  let pressured = false;
  const add = (map: Map<string, number>, key: string, count: number, limit = maxKeys): boolean => {
    const had = map.get(key);
    if (had !== undefined) {
      map.set(key, had + count);
      return true;
    }
    if (map.size >= limit) return false;
    map.set(key, count);
    if (map.size >= maxKeys / 2 && !pressured) {
      // Half full: write now rather than wait for the timer, so a burst is not dropped.
      pressured = true;
      void flush();
    }
    return true;
  };

  function click(code: string, referrerHost: string) {
    const day = dayOf(now());
    // When full, keep the click and drop only where it came from: a quarter more room for those.
    if (add(clicks, `${code}\t${day}\t${referrerHost}`, 1) || (referrerHost !== '' && add(clicks, `${code}\t${day}\t`, 1, maxKeys * 1.25))) return;
    dropped++;
  }

  function poll({ slug, format, userAgent, ip }: FeedPoll) {
    const at = now();
    if (!add(polls, `${slug}\t${dayOf(at)}\t${format}`, 1)) dropped++;
    const client = classifyFeedClient(userAgent);
    if (client.kind === 'browser' || client.kind === 'crawler') return;
    if (client.kind === 'hosted') {
      const key = `hosted:${client.name.toLowerCase()}${client.feedId ? `:${client.feedId}` : ''}`;
      const id = `${slug}\t${key}`;
      const seen = readers.get(id);
      if (!seen && readers.size >= maxKeys) return void dropped++;
      readers.set(id, { slug, key, name: client.name, seenAt: at, subscribers: client.subscribers ?? seen?.subscribers ?? null });
      return;
    }
    const ua = (userAgent ?? '').slice(0, 1000);
    const id = `${slug}\t${ip ?? ''}\t${ua}`;
    if (!readers.has(id) && readers.size >= maxKeys) return void dropped++;
    readers.set(id, { slug, name: client.name, seenAt: at, subscribers: 1, ip: ip ?? '', userAgent: ua });
  }

  async function clientKey(salt: string, ip: string, userAgent: string): Promise<string> {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${salt}\n${ip}\n${userAgent}`));
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    return `client:${hex.slice(0, 32)}`;
  }

  async function write(): Promise<FlushReport> {
    const report: FlushReport = { clicks: 0, polls: 0, readers: 0, failed: false };
    const takenClicks = clicks;
    const takenPolls = polls;
    const takenReaders = readers;
    clicks = new Map();
    polls = new Map();
    readers = new Map();
    pressured = false;

    if (takenClicks.size > 0) {
      const rows = [...takenClicks].map(([key, count]) => {
        const [code = '', day = '', referrerHost = ''] = key.split('\t');
        return { code, day, referrerHost, count };
      });
      try {
        await repos.links.addClicks(rows);
        report.clicks = rows.reduce((sum, r) => sum + r.count, 0);
      } catch (error) {
        report.failed = true;
        // Wait for the runtime's next flush: refilling must not start another attempt at once.
        pressured = true;
        for (const [key, count] of takenClicks) if (!add(clicks, key, count)) dropped += count;
        log('warn', 'shortlinks: could not write clicks; kept for the next flush', { error: String(error) });
      }
    }

    if (takenPolls.size > 0) {
      const rows = [...takenPolls].map(([key, count]) => {
        const [slug = '', day = '', format = ''] = key.split('\t');
        return { slug, day, format, count };
      });
      try {
        await repos.audience.addPolls(rows);
        report.polls = rows.reduce((sum, r) => sum + r.count, 0);
      } catch (error) {
        report.failed = true;
        // Wait for the runtime's next flush: refilling must not start another attempt at once.
        pressured = true;
        for (const [key, count] of takenPolls) if (!add(polls, key, count)) dropped += count;
        log('warn', 'shortlinks: could not write feed polls; kept for the next flush', { error: String(error) });
      }
    }

    if (takenReaders.size > 0) {
      try {
        const salt = await repos.audience.salt();
        const sightings: ReaderSighting[] = [];
        for (const r of takenReaders.values()) {
          const key = r.key ?? (await clientKey(salt, r.ip ?? '', r.userAgent ?? ''));
          sightings.push({ slug: r.slug, key, name: r.name, subscribers: r.subscribers, seenAt: r.seenAt });
        }
        await repos.audience.touchReaders(sightings);
        report.readers = sightings.length;
      } catch (error) {
        report.failed = true;
        // Wait for the runtime's next flush: refilling must not start another attempt at once.
        pressured = true;
        for (const [id, r] of takenReaders) if (!readers.has(id) && readers.size < maxKeys) readers.set(id, r);
        log('warn', 'shortlinks: could not write feed readers; kept for the next flush', { error: String(error) });
      }
    }

    const at = now().getTime();
    if (at - lastPrune >= PRUNE_EVERY_MS) {
      try {
        await repos.audience.pruneReaders(new Date(at - PRUNE_AFTER_MS));
        lastPrune = at;
      } catch (error) {
        log('warn', 'shortlinks: could not prune old feed readers', { error: String(error) });
      }
    }
    return report;
  }

  // One write at a time; a flush asked for during one runs once after it, for every caller.
  let active: Promise<FlushReport> | null = null;
  let queued: Promise<FlushReport> | null = null;
  const start = () => {
    active = write()
      .catch((error): FlushReport => {
        log('error', 'shortlinks: flush failed', { error: String(error) });
        return { clicks: 0, polls: 0, readers: 0, failed: true };
      })
      .finally(() => {
        active = null;
      });
    return active;
  };
  function flush(): Promise<FlushReport> {
    if (queued) return queued;
    if (!active) return start();
    queued = active.then(() => {
      queued = null;
      return start();
    });
    return queued;
  }

  return {
    eager: options.eager ?? false,
    click,
    poll,
    flush,
    get pending() {
      return clicks.size + polls.size + readers.size;
    },
    get dropped() {
      return dropped;
    },
  };
}
