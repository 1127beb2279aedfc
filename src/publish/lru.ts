/**
 * A least-recently-used map bounded by bytes rather than entries: one big feed and many small
 * ones cost what they weigh. Map keeps insertion order, so re-inserting on use is the LRU list.
 */
export class ByteLru<V> {
  readonly #entries = new Map<string, { value: V; bytes: number }>();
  #bytes = 0;
  /** The most recently used key: using it again moves nothing (a Map delete and set per hit add up). */
  #newest: string | undefined;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (key !== this.#newest) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      this.#newest = key;
    }
    return entry.value;
  }

  /** The value without counting it as a use. */
  peek(key: string): V | undefined {
    return this.#entries.get(key)?.value;
  }

  /** Stores the value unless it alone exceeds the budget; evicts the least recently used to fit. */
  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.maxBytes) return;
    this.#entries.set(key, { value, bytes });
    this.#newest = key;
    this.#bytes += bytes;
    this.#evict();
  }

  /** Charges more bytes to an entry already stored (a compressed copy added later). */
  grow(key: string, bytes: number): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    entry.bytes += bytes;
    this.#bytes += bytes;
    if (entry.bytes > this.maxBytes) this.delete(key);
    else this.#evict();
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
    if (key === this.#newest) this.#newest = undefined;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
    this.#newest = undefined;
  }

  #evict(): void {
    for (const [key] of this.#entries) {
      if (this.#bytes <= this.maxBytes) return;
      this.delete(key);
    }
  }
}
