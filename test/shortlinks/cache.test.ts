import fc from 'fast-check';
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

describe('LruCache against a plain LRU model', () => {
  it('keeps exactly the entries the model keeps, whatever the order of uses', () => {
    type Op = { op: 'get' | 'set' | 'delete'; key: string };
    const op = fc.record({ op: fc.constantFrom('get', 'set', 'delete'), key: fc.constantFrom('a', 'b', 'c', 'd') }) as fc.Arbitrary<Op>;
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const cache = new LruCache<string, string>({ maxEntries: 3, ttlMs: 1000, now: () => 0 });
        let model: string[] = [];
        for (const { op, key } of ops) {
          const at = model.indexOf(key);
          if (op === 'get') {
            expect(cache.get(key)).toBe(at === -1 ? undefined : key);
            if (at !== -1) model.push(...model.splice(at, 1));
          } else if (op === 'set') {
            cache.set(key, key);
            if (at !== -1) model.splice(at, 1);
            model.push(key);
            if (model.length > 3) model.shift();
          } else {
            cache.delete(key);
            if (at !== -1) model.splice(at, 1);
          }
          expect(cache.size).toBe(model.length);
        }
      }),
      { numRuns: 300 },
    );
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
