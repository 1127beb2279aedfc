import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashText } from '../../src/core/hash.ts';
import { collapseSpaces } from '../../src/core/persian.ts';
import { prepareItem, type RawItem } from '../../src/ingest/prepare.ts';
import { htmlToText } from '../../src/ingest/sanitize.ts';

const NOW = new Date('2026-10-01T12:00:00.000Z');

const text = fc.oneof(
  fc.constantFrom('', ' ', 'سلام', '<p>خبر «مهم» امروز</p>', '<p>a</p><p>b > c</p>', '<b></b>', '<script>x</script>', '&amp; "q" \\ \t', '😀', '\ud800'),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ maxLength: 120 }).map((s) => `<p>${s}</p>`),
);
const date = fc.option(fc.date({ min: new Date(0), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true }));

const raw: fc.Arbitrary<RawItem> = fc.record(
  {
    guid: fc.option(text),
    title: fc.option(text),
    url: fc.option(fc.constantFrom('https://news.example.ir/fa/news/1', 'https://news.example.ir/a?utm_source=x&id=2#top')),
    summary: fc.option(text),
    content: fc.option(text),
    author: fc.option(text),
    publishedAt: date,
    updatedAt: date,
    labels: fc.array(text, { maxLength: 3 }),
    enclosures: fc.array(fc.record({ url: fc.constant('https://cdn.example.ir/a.mp3'), type: fc.option(fc.constant('audio/mpeg')), length: fc.option(fc.nat()) }), { maxLength: 2 }),
    shortCode: fc.option(fc.constant('abc')),
  },
  { requiredKeys: [] },
);

describe('prepareItem', () => {
  it('hashes exactly the JSON of what a reader sees, as stored hashes were made', () => {
    fc.assert(
      fc.property(raw, fc.array(fc.nat({ max: 9 }), { maxLength: 3 }), (item, categoryIds) => {
        const out = prepareItem(item, { sourceId: null, categoryIds, baseUrl: null, now: NOW, categorise: () => [4] });
        const { url, title, summary, content, author, updatedAt, labels, enclosures } = out;
        const visible = { url, title, summary, content, author, updatedAt, labels, categoryIds: out.categoryIds, enclosures, publishedAt: item.publishedAt ?? null };
        expect(out.contentHash).toBe(hashText(JSON.stringify(visible)));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes an untitled item’s title from its summary, else its content, else its link', () => {
    fc.assert(
      fc.property(raw, (item) => {
        const out = prepareItem(item, { sourceId: null, categoryIds: [], baseUrl: null, now: NOW });
        const fromText = htmlToText(out.summary ?? out.content ?? '').slice(0, 80).trim();
        expect(out.title).toBe(collapseSpaces(item.title ?? '').trim() || fromText || (out.url ?? 'untitled'));
      }),
      { numRuns: 3000 },
    );
  });
});
