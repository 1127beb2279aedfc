/** Short code → redirect target, through a bounded in-memory cache that link changes clear. */
import type { LinkRepo, StoredLink } from '../db/repos/links.ts';
import { LruCache } from './cache.ts';
import { locationFor } from './codes.ts';

export interface Target {
  /** Ready for the `Location` header: plain visible ASCII. */
  location: string;
  status: 301 | 302;
}

export interface ResolverOptions {
  baseUrl: string;
  maxEntries?: number;
  /** How long a found target is trusted; bounds staleness when another process edits links. */
  ttlMs?: number;
  /** How long "no such code" is trusted; short, so a link made elsewhere appears soon. */
  missTtlMs?: number;
  now?: () => number;
}

/** Only a stored URL, or the item page this service renders itself, is ever a target. */
export function targetOf(link: Pick<StoredLink, 'url' | 'itemId' | 'status'>, baseUrl: string): Target | null {
  const stored = link.url ?? (link.itemId !== null ? `${baseUrl}/items/${link.itemId}` : null);
  const location = stored === null ? null : locationFor(stored);
  return location === null ? null : { location, status: link.status === 301 ? 301 : 302 };
}

export function createResolver(links: Pick<LinkRepo, 'byCode' | 'onChange'>, options: ResolverOptions) {
  const now = options.now ?? Date.now;
  const found = new LruCache<string, Target>({ maxEntries: options.maxEntries ?? 10_000, ttlMs: options.ttlMs ?? 60_000, now });
  // Kept apart so a flood of made-up codes cannot push real links out of the cache.
  const missing = new LruCache<string, true>({ maxEntries: 1_000, ttlMs: options.missTtlMs ?? 5_000, now });
  let generation = 0;
  links.onChange((code) => {
    generation++;
    if (code === null) {
      found.clear();
      missing.clear();
    } else {
      found.delete(code);
      missing.delete(code);
    }
  });

  async function resolve(code: string): Promise<Target | null> {
    const hit = found.get(code);
    if (hit) return hit;
    if (missing.get(code)) return null;
    const before = generation;
    const link = await links.byCode(code);
    const target = link ? targetOf(link, options.baseUrl) : null;
    // A change while we read may have made this answer stale: serve it, but do not keep it.
    if (generation === before) {
      if (target) found.set(code, target);
      else missing.set(code, true);
    }
    return target;
  }

  /** What the cache already knows, without a read: a target, null for a known miss, undefined when it does not know. */
  function known(code: string): Target | null | undefined {
    const hit = found.get(code);
    if (hit) return hit;
    return missing.get(code) ? null : undefined;
  }

  return Object.assign(resolve, { known });
}
