/**
 * A bounded least-recently-used map whose entries also expire, so rows changed by another
 * process (a CLI fetch, a second server) are seen within `ttlMs`. Plain TS, clock injected.
 */
export interface LruOptions {
  maxEntries: number;
  ttlMs: number;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class LruCache<K, V> {
  readonly #entries = new Map<K, Entry<V>>();
  readonly #max: number;
  readonly #ttl: number;
  readonly #now: () => number;
  /** The most recently used key: using it again moves nothing. */
  #newest: K | undefined;

  constructor(options: LruOptions) {
    this.#max = Math.max(1, options.maxEntries);
    this.#ttl = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  get size() {
    return this.#entries.size;
  }

  /** The live entry, marked as most recently used; undefined when absent or expired. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.delete(key);
      return undefined;
    }
    // A Map iterates in insertion order: re-inserting moves the key to the young end.
    if (key !== this.#newest) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      this.#newest = key;
    }
    return entry.value;
  }

  set(key: K, value: V, ttlMs = this.#ttl): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
    this.#newest = key;
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
    if (key === this.#newest) this.#newest = undefined;
  }

  clear(): void {
    this.#entries.clear();
    this.#newest = undefined;
  }
}

/**
 * Answers remembered by key, for verdicts that never go stale (a User-Agent's class): a plain
 * Map, emptied when it reaches `maxEntries`. Cheaper per hit than LruCache (no recency moves,
 * no clock) where the keys in use are few and a refill costs only a recomputation.
 */
export class Memo<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly maxEntries: number) {}

  get size() {
    return this.#entries.size;
  }

  /** The remembered answer, else `compute`'s, remembered. */
  get(key: K, compute: (key: K) => V): V {
    let value = this.#entries.get(key);
    if (value === undefined) {
      value = compute(key);
      if (this.#entries.size >= this.maxEntries) this.#entries.clear();
      this.#entries.set(key, value);
    }
    return value;
  }
}
