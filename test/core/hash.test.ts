import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base36, hashJson, hashText } from '../../src/core/hash.ts';

/** cyrb53 as Chapar first wrote it: the digests stored in existing databases came from this. */
function cyrb53(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** Text with everything JSON escapes or might: quotes, backslashes, controls, surrogates alone and in pairs. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.array(
    fc.constantFrom('سلام', 'می‌شود', '"', '\\', '/', '\b', '\t', '\n', '\f', '\r', '\0', '\u001f', '\u007f', '\u2028', '\u2029', '😀', '\ud83d', '\ude00', '\udbff', '\udc00', '<p>', '&amp;', ' '),
    { maxLength: 20 },
  ).map((parts) => parts.join('')),
);

const date = fc.oneof(
  fc.date({ noInvalidDate: true }),
  fc.date({ min: new Date(Date.UTC(-1, 0, 1)), max: new Date(Date.UTC(10000, 11, 31)), noInvalidDate: true }),
  fc.constantFrom(new Date(Number.NaN), new Date(8.64e15), new Date(-8.64e15), new Date(Date.parse('0000-01-01T00:00:00Z') - 1), new Date(Date.parse('0000-01-01T00:00:00Z')), new Date(Date.UTC(10000, 0, 1) - 1), new Date(Date.UTC(10000, 0, 1))),
  fc.date().map((d) => Object.assign(d, { toJSON: () => 'own toJSON' })),
);

/** Values of every kind JSON treats differently, one level down too. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(() => 1),
  fc.constant(Symbol('s')),
  fc.boolean(),
  fc.double(),
  fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e21, 2 ** 53),
  date,
  fc.array(fc.oneof(text, fc.integer(), fc.constant(null), fc.constant(undefined), date), { maxLength: 4 }),
  fc.dictionary(text, fc.oneof(text, fc.integer(), fc.constant(undefined)), { maxKeys: 3 }),
);

const record = fc.dictionary(fc.oneof(text, fc.constantFrom('url', 'title', '0', '1', '10', '__proto__', 'constructor')), value, { maxKeys: 8 });

/** An item's visible fields as prepareItem hashes them. */
const visible = fc.record({
  url: fc.option(text),
  title: text,
  summary: fc.option(text),
  content: fc.option(text),
  author: fc.option(text),
  updatedAt: fc.option(date),
  labels: fc.array(text, { maxLength: 3 }),
  categoryIds: fc.array(fc.nat(), { maxLength: 3 }),
  enclosures: fc.array(fc.record({ url: text, type: fc.option(text), length: fc.option(fc.nat()) }), { maxLength: 2 }),
  publishedAt: fc.option(date),
});

describe('hashText', () => {
  it('gives the digests stored before it changed, over arbitrary strings and seeds', () => {
    fc.assert(
      fc.property(text, fc.integer(), (s, seed) => {
        expect(hashText(s)).toBe(cyrb53(s));
        expect(hashText(s, seed)).toBe(cyrb53(s, seed));
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps the digests it gave before', () => {
    expect(hashText('')).toBe('wvjl67o803');
    expect(hashText('سلام دنیا')).toBe('9l14lvlvt');
  });
});

describe('base36', () => {
  it('writes what toString(36) writes for whole numbers below 2^53', () => {
    for (const n of [0, 1, 35, 36, 37, 36 ** 2 - 1, 36 ** 2, 2 ** 32 - 1, 2 ** 32, 36 ** 10, 2 ** 53 - 1]) expect(base36(n)).toBe(n.toString(36));
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(base36(n)).toBe(n.toString(36));
      }),
      { numRuns: 20000 },
    );
  });
});

describe('hashJson', () => {
  it('gives hashText(JSON.stringify(record)), over arbitrary records', () => {
    fc.assert(
      fc.property(record, fc.integer(), (r, seed) => {
        expect(hashJson(r)).toBe(hashText(JSON.stringify(r)));
        expect(hashJson(r, seed)).toBe(hashText(JSON.stringify(r), seed));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives hashText(JSON.stringify(fields)) for an item’s visible fields', () => {
    fc.assert(
      fc.property(visible, (fields) => {
        expect(hashJson(fields)).toBe(cyrb53(JSON.stringify(fields)));
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps the digest an item hashed to before it existed', () => {
    const item = {
      url: 'https://news.example.ir/fa/news/1',
      title: 'خبر',
      summary: null,
      content: '<p>متن "نقل" \\ و\tبرگه</p>',
      author: null,
      updatedAt: null,
      labels: [],
      categoryIds: [1, 3],
      enclosures: [],
      publishedAt: new Date(Date.UTC(2026, 9, 1, 12)),
    };
    expect(hashJson(item)).toBe('241n8kifble');
  });

  it('hashes an empty record as {}', () => {
    expect(hashJson({})).toBe(hashText('{}'));
    expect(hashJson({ gone: undefined })).toBe(hashText('{}'));
  });
});
