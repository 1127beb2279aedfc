import { describe, expect, it } from 'vitest';
import { LruCache, Memo } from '../../src/shortlinks/cache.ts';

describe('LruCache', () => {
  it('evicts the least recently used entry beyond its bound', () => {
    const cache = new LruCache<string, number>({ maxEntries: 2, ttlMs: 1000, now: () => 0 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('forgets entries after their time to live', () => {
    let now = 0;
    const cache = new LruCache<string, number>({ maxEntries: 10, ttlMs: 1000, now: () => now });
    cache.set('a', 1);
    cache.set('b', 2, 5000);
    now = 999;
    expect(cache.get('a')).toBe(1);
    now = 1000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
  });

  it('deletes and clears', () => {
    const cache = new LruCache<string, number>({ maxEntries: 10, ttlMs: 1000 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });
});

describe('Memo', () => {
  it('computes each key once, and starts over when full', () => {
    const memo = new Memo<string, number>(2);
    let calls = 0;
    const length = (key: string) => (calls++, key.length);
    expect(memo.get('a', length)).toBe(1);
    expect(memo.get('bb', length)).toBe(2);
    expect(memo.get('a', length)).toBe(1);
    expect(calls).toBe(2);
    expect(memo.get('ccc', length)).toBe(3);
    expect(memo.size).toBe(1);
    expect(memo.get('a', length)).toBe(1);
    expect(calls).toBe(4);
  });
});
