import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlToText, htmlToTextFully, sanitizeHtml, sanitizeHtmlAndText, sanitizeHtmlFully } from '../../src/ingest/sanitize.ts';
import { readSimpleHtml, sanitizeSimpleHtml, simpleHtmlText } from '../../src/ingest/simple-html.ts';

const BASE = 'https://news.example.ir/fa/news/1';

/** Every tag the shortcut knows, tags it must refuse, and names that only look alike. */
const TAG_NAMES = [
  'a', 'abbr', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'blockquote', 'caption', 'cite', 'code', 'colgroup',
  'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'i', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section', 'small', 'span',
  'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'tt', 'u',
  'ul', 'var', 'br', 'hr', 'wbr', 'img', 'col', 'source', 'audio', 'video', 'script', 'style', 'title', 'textarea',
  'xmp', 'svg', 'math', 'iframe', 'noscript', 'option', 'select', 'input', 'body', 'head', 'html', 'P', 'Br', 'B', 'pp', 'x1',
];

const tag = fc
  .tuple(fc.boolean(), fc.constantFrom(...TAG_NAMES), fc.constantFrom('', '', '', '/', ' /', ' ', ' class="x"', ' href="/a"', '\n'))
  .map(([closing, name, tail]) => `<${closing ? '/' : ''}${name}${tail}>`);

const persian = fc.constantFrom('سلام', 'می‌شود', 'خبرگزاری', 'ایران', '۱۴۰۳', 'يك', 'ك', 'ـ', '\u200f', '\u064b');
const special = fc.constantFrom('<', '>', '&', '"', "'", '/', '=', ' ', '  ', '\n', '\r', '\t', '\0', '\u000b', '\f', '\u00a0', '\ufeff', '\ud800', '<!--', '-->', '<!', '<?', ']]>', '</', '< p>');
const entity = fc.constantFrom('&amp;', '&lt;', '&gt;', '&quot;', '&#39;', '&nbsp;', '&#1604;', '&#x6cc;', '&copy', '&x;', '&;');

/** Arbitrary strings built from the pieces that matter to an HTML tokenizer, plus any text at all. */
const anyHtml = fc
  .array(fc.oneof(tag, persian, special, entity, fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 24 })
  .map((parts) => parts.join(''));

/**
 * Groups of tags whose nesting rules interact (htmlparser2 closes a `<td>` when a `<tr>` opens,
 * a `<p>` when a `<div>` opens…), so that a small tree often meets those rules.
 */
const FAMILIES = [
  ['table', 'caption', 'colgroup', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'p', 'b'],
  ['ul', 'ol', 'li', 'dl', 'dt', 'dd', 'p', 'div', 'span'],
  ['ruby', 'rt', 'rp', 'span', 'b', 'p'],
  ['p', 'div', 'h1', 'h6', 'address', 'article', 'aside', 'blockquote', 'details', 'dl', 'figcaption', 'figure', 'ol', 'pre', 'section', 'table', 'ul', 'summary', 'span', 'em', 'a', 'hr', 'br'],
  TAG_NAMES,
];
const text = fc.oneof(persian, special, fc.constantFrom('text', 'a > b', ' ', '', 'x'));

/** Well-nested bare tags around text, `depth` deep: what the shortcut is for, and where nesting rules bite. */
const treeOf = (names: string[], depth: number): fc.Arbitrary<string> =>
  depth === 0
    ? text
    : fc.oneof(
        { arbitrary: text, weight: 1 },
        { arbitrary: fc.constantFrom('<br>', '<br/>', '<br />', '<hr>', '<hr />'), weight: 1 },
        {
          arbitrary: fc
            .tuple(fc.constantFrom(...names), fc.array(treeOf(names, depth - 1), { maxLength: 3 }))
            .map(([name, inner]) => `<${name}>${inner.join('')}</${name}>`),
          weight: 4,
        },
      );
const nestedHtml = fc.constantFrom(...FAMILIES).chain((names) => fc.array(treeOf(names, 3), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('')));

/** Bare tags of one group in any order, balanced or not. */
const tagSoup = fc.constantFrom(...FAMILIES).chain((names) =>
  fc
    .array(fc.oneof(text, fc.tuple(fc.boolean(), fc.constantFrom(...names)).map(([closing, name]) => `<${closing ? '/' : ''}${name}>`)), { maxLength: 16 })
    .map((parts) => parts.join('')),
);

const anyInput = fc.oneof(anyHtml, nestedHtml, nestedHtml, tagSoup, fc.string(), fc.string({ unit: 'binary' }));

const property = { numRuns: 4000 };

describe('the shortcut for plain HTML gives what sanitize-html gives', () => {
  it('sanitizeHtml, over arbitrary strings', () => {
    fc.assert(
      fc.property(anyInput, (html) => {
        const fast = sanitizeSimpleHtml(html);
        if (fast !== null) expect(fast).toBe(sanitizeHtmlFully(html, BASE));
        expect(sanitizeHtml(html, BASE)).toBe(sanitizeHtmlFully(html, BASE));
      }),
      property,
    );
  });

  it('htmlToText, over arbitrary strings', () => {
    fc.assert(
      fc.property(anyInput, (html) => {
        expect(htmlToText(html)).toBe(htmlToTextFully(html));
      }),
      property,
    );
  });

  it('sanitizeHtmlAndText: the trimmed HTML and its text, over arbitrary strings', () => {
    fc.assert(
      fc.property(anyInput, (html) => {
        const full = sanitizeHtmlFully(html, BASE).trim();
        expect(sanitizeHtmlAndText(html, BASE)).toEqual({ html: full, text: htmlToTextFully(full) });
        const simple = readSimpleHtml(html);
        if (simple !== null) expect(simple.text).toBe(simpleHtmlText(html));
      }),
      property,
    );
  });

  it('is taken for most well-nested plain HTML, not only for bare text', () => {
    const samples = fc.sample(nestedHtml, { numRuns: 500, seed: 9 });
    const taken = samples.filter((html) => html.includes('<') && sanitizeSimpleHtml(html) !== null).length;
    expect(taken).toBeGreaterThan(100);
  });
});

describe('the shortcut', () => {
  it('takes bare text and bare paragraphs, as pushed items are written', () => {
    expect(sanitizeSimpleHtml('خبر «مهم» > همه')).toBe('خبر «مهم» &gt; همه');
    expect(sanitizeSimpleHtml('<p>یک</p><p>دو<br>سه</p>')).toBe('<p>یک</p><p>دو<br />سه</p>');
    expect(simpleHtmlText('<p>یک</p><p>دو<br>سه</p>')).toBe(' یک  دو سه ');
    expect(readSimpleHtml('<p>یک</p><p>دو<br>سه > چهار</p>')).toEqual({ html: '<p>یک</p><p>دو<br />سه &gt; چهار</p>', text: ' یک  دو سه > چهار ' });
    expect(sanitizeSimpleHtml('')).toBe('');
  });

  it('leaves everything else to sanitize-html', () => {
    for (const html of [
      'a &amp; b',
      'a < b',
      '<p class="x">t</p>',
      '<P>t</P>',
      '<p>unclosed',
      '<b>mis</i>',
      '<p>a<div>b</div></p>',
      '<li>a<li>b',
      '<img src="/a.png">',
      '<script>x</script>',
      '<wbr>',
      '</br>',
      '<!-- c -->',
    ]) {
      expect(sanitizeSimpleHtml(html), html).toBeNull();
    }
  });
});
