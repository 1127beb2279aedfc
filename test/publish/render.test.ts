import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderAtom } from '../../src/publish/render/atom.ts';
import { renderJsonFeed } from '../../src/publish/render/json.ts';
import { renderRss } from '../../src/publish/render/rss.ts';
import { authorName, htmlToText } from '../../src/publish/render/text.ts';
import type { RenderFeed, RenderItem } from '../../src/publish/render/types.ts';
import { toUri } from '../../src/publish/render/url.ts';

/*
 * No XML parser is installed, so this is a small strict one: it rejects anything that is not
 * well-formed (unbalanced or misnested tags, a raw "<" or stray "&" in text or attributes, unknown
 * entities, characters XML 1.0 forbids, duplicate attributes, undeclared prefixes, CDATA, more
 * than one root) and returns the decoded tree for structural assertions.
 */
interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const XML_CHARS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const NAME = '[A-Za-z_][A-Za-z0-9._-]*(?::[A-Za-z_][A-Za-z0-9._-]*)?';
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`raw "<" in ${where}`);
  return raw.replace(/&([^;]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Error(`stray "&" in ${where}`);
    const hex = /^#x([0-9A-Fa-f]+)$/.exec(ref);
    const dec = /^#([0-9]+)$/.exec(ref);
    if (hex || dec) {
      const char = String.fromCodePoint(hex ? parseInt(hex[1]!, 16) : parseInt(dec![1]!, 10));
      if (!XML_CHARS.test(char)) throw new Error(`reference to a forbidden character in ${where}`);
      return char;
    }
    const named = PREDEFINED[ref];
    if (named === undefined) throw new Error(`unknown entity &${ref}; in ${where}`);
    return named;
  });
}

function parseXml(xml: string): XmlElement {
  if (!XML_CHARS.test(xml)) throw new Error('forbidden character in document');
  // A parser would turn a raw CR into LF; we promise to write it as a reference.
  if (xml.includes('\r')) throw new Error('raw carriage return');
  if (xml.includes('<![CDATA[')) throw new Error('CDATA section (we promise escaped text)');
  const prolog = '<?xml version="1.0" encoding="UTF-8"?>\n';
  if (!xml.startsWith(prolog)) throw new Error('missing XML declaration');
  const token = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"]*")*)\\s*(/?)>|([^<]+)|(<)`, 'gy');
  const attribute = new RegExp(`(${NAME})\\s*=\\s*"([^"]*)"`, 'g');
  const stack: { element: XmlElement; prefixes: Set<string> }[] = [];
  let root: XmlElement | null = null;
  token.lastIndex = prolog.length;
  let match: RegExpExecArray | null;
  while (token.lastIndex < xml.length && (match = token.exec(xml)) !== null) {
    const [, closing, name, rawAttrs, selfClosing, text, stray] = match;
    const parent = stack.at(-1);
    if (stray !== undefined) throw new Error(`malformed markup at offset ${match.index}`);
    if (text !== undefined) {
      if (parent === undefined) {
        if (text.trim() !== '') throw new Error('text outside the root element');
        continue;
      }
      parent.element.text += decode(text, `<${parent.element.name}>`);
      continue;
    }
    if (closing) {
      if (parent?.element.name !== name) throw new Error(`</${name}> closes <${parent?.element.name}>`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const [, attrName, value] of (rawAttrs ?? '').matchAll(attribute)) {
      if (attrName! in attrs) throw new Error(`duplicate attribute ${attrName} on <${name}>`);
      // Attribute-value normalisation: raw whitespace becomes a space, references survive.
      attrs[attrName!] = decode(value!.replace(/[\t\n]/g, ' '), `${name}@${attrName}`);
    }
    const prefixes = new Set(parent?.prefixes ?? ['xml']);
    for (const attrName of Object.keys(attrs)) if (attrName.startsWith('xmlns:')) prefixes.add(attrName.slice(6));
    for (const used of [name!, ...Object.keys(attrs)]) {
      const prefix = used.includes(':') ? used.split(':')[0]! : null;
      if (prefix !== null && prefix !== 'xmlns' && !prefixes.has(prefix)) throw new Error(`undeclared prefix in ${used}`);
    }
    const element: XmlElement = { name: name!, attrs, children: [], text: '' };
    if (parent === undefined) {
      if (root !== null) throw new Error('more than one root element');
      root = element;
    } else {
      parent.element.children.push(element);
    }
    if (!selfClosing) stack.push({ element, prefixes });
  }
  if (token.lastIndex !== xml.length && token.lastIndex !== 0) throw new Error('unparsed trailing input');
  if (stack.length > 0) throw new Error(`<${stack.at(-1)!.element.name}> is never closed`);
  if (root === null) throw new Error('no root element');
  return root;
}

const children = (element: XmlElement | undefined, name: string): XmlElement[] =>
  element?.children.filter((child) => child.name === name) ?? [];
const child = (element: XmlElement | undefined, name: string): XmlElement | undefined => children(element, name)[0];
const textOf = (element: XmlElement | undefined, name: string): string | undefined => child(element, name)?.text;
const linksOf = (element: XmlElement | undefined, name: string, rel: string): string[] =>
  children(element, name)
    .filter((link) => link.attrs.rel === rel)
    .map((link) => link.attrs.href ?? '');

describe('the test XML checker', () => {
  it('rejects what a real parser would', () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
    expect(() => parseXml(`${head}<a><b></a></b>`)).toThrow();
    expect(() => parseXml(`${head}<a>x & y</a>`)).toThrow();
    expect(() => parseXml(`${head}<a>x < y</a>`)).toThrow();
    expect(() => parseXml(`${head}<a>&nbsp;</a>`)).toThrow();
    expect(() => parseXml(`${head}<a t="1" t="2"/>`)).toThrow();
    expect(() => parseXml(`${head}<a x="<"/>`)).toThrow();
    expect(() => parseXml(`${head}<a>\u0001</a>`)).toThrow();
    expect(() => parseXml(`${head}<a>&#x1;</a>`)).toThrow();
    expect(() => parseXml(`${head}<dc:creator>x</dc:creator>`)).toThrow();
    expect(() => parseXml(`${head}<a/><b/>`)).toThrow();
    expect(() => parseXml(`${head}<a><![CDATA[x]]></a>`)).toThrow();
    expect(() => parseXml(`${head}<a>`)).toThrow();
    expect(parseXml(`${head}<a x="&#x26;&amp;"><b>1 &#x3C; 2</b></a>`)).toEqual({
      name: 'a',
      attrs: { x: '&&' },
      children: [{ name: 'b', attrs: {}, children: [], text: '1 < 2' }],
      text: '',
    });
  });
});

const at = (iso: string) => new Date(iso);

/** Three items, newest first: HTML with "&" and "<"; nothing optional; an enclosure. */
function persianItems(): RenderItem[] {
  return [
    {
      guid: 'https://khabar.example.ir/news/1402',
      guidIsPermaLink: true,
      link: 'https://khabar.example.ir/news/1402/قیمت-نفت',
      title: 'قیمت نفت < ۸۰ دلار & بازار',
      contentHtml: '<p>متن <strong>کامل</strong> با R&amp;D و ۳ &lt; ۴ و <a href="https://khabar.example.ir/a?b=1&amp;c=2">پیوند</a></p>',
      summary: '<p>خلاصه با &amp; و &lt;</p>',
      author: 'علی رضایی & همکاران <تهران>',
      categories: [
        { term: 'eghtesad', label: 'اقتصاد & بازار' },
        { term: 'naft', label: '<نفت>' },
      ],
      published: at('2024-03-20T08:00:00Z'),
      updated: at('2024-03-20T08:30:00Z'),
      enclosures: [],
    },
    {
      guid: 'tag:chapar.example,2024:item/7',
      guidIsPermaLink: false,
      link: 'https://chapar.example/items/7',
      title: 'خبر بدون خلاصه',
      contentHtml: null,
      summary: null,
      author: null,
      categories: [],
      published: at('2024-03-19T20:15:00Z'),
      updated: null,
      enclosures: [],
    },
    {
      guid: 'episode-77@radio.example',
      guidIsPermaLink: true,
      link: 'https://chapar.example/s/Ab3',
      title: 'پادکست هفته',
      contentHtml: '',
      summary: 'متن ساده: a < b و AT&T',
      author: 'radio@example.ir (رادیو گفتگو)',
      categories: [{ term: 'podcast', label: 'پادکست' }],
      published: at('2024-03-18T10:00:00Z'),
      updated: at('2024-03-18T10:00:00Z'),
      enclosures: [
        { url: 'https://cdn.radio.example/ep 77.mp3?sig=a&b=c', type: 'audio/mpeg', length: 1234567 },
        { url: 'https://cdn.radio.example/ep77.ogg', type: null, length: null },
      ],
    },
  ];
}

function persianFeed(format: 'rss' | 'atom' | 'json', overrides: Partial<RenderFeed> = {}): RenderFeed {
  return {
    selfUrl: `https://chapar.example/feeds/akhbar.${format}?category=eghtesad&q=نفت`,
    htmlUrl: 'https://chapar.example/feeds/akhbar',
    id: 'tag:chapar.example,2024:feeds/akhbar',
    title: 'اخبار اقتصاد & بازار <ویژه>',
    description: null,
    language: 'fa',
    updated: at('2024-03-20T08:30:00Z'),
    hubs: ['https://hub.example/', 'https://websub.example/hub?x=1&y=2'],
    iconUrl: 'https://chapar.example/icon.png',
    generator: 'Chapar 0.1.0',
    ttlMinutes: 15,
    nextUrl: `https://chapar.example/feeds/akhbar.${format}?category=eghtesad&before=2024-03-18T10:00:00Z`,
    previousUrl: null,
    firstUrl: null,
    items: persianItems(),
    ...overrides,
  };
}

const SELF_QUERY = '?category=eghtesad&q=%D9%86%D9%81%D8%AA';
/** The paging links of a page in the middle of the archive. */
const MIDDLE = {
  first: (format: string) => `https://chapar.example/feeds/akhbar.${format}?category=eghtesad`,
  previous: (format: string) => `https://chapar.example/feeds/akhbar.${format}?category=eghtesad&after=2024-03-20T08:00:00Z`,
};

describe('renderRss', () => {
  const xml = renderRss(persianFeed('rss'));
  const rss = parseXml(xml);
  const channel = child(rss, 'channel');
  const [first, second, third] = children(channel, 'item');

  it('is a well-formed RSS 2.0 document with the extension namespaces', () => {
    expect(rss.attrs).toMatchObject({
      version: '2.0',
      'xmlns:atom': 'http://www.w3.org/2005/Atom',
      'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
      'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
    });
    expect(children(channel, 'item')).toHaveLength(3);
  });

  it('describes the channel, falling back to the title for a missing description', () => {
    expect(textOf(channel, 'title')).toBe('اخبار اقتصاد & بازار <ویژه>');
    expect(xml).toContain('<title>اخبار اقتصاد &#x26; بازار &#x3C;ویژه&#x3E;</title>');
    expect(textOf(channel, 'description')).toBe('اخبار اقتصاد & بازار <ویژه>');
    expect(textOf(channel, 'link')).toBe('https://chapar.example/feeds/akhbar');
    expect(textOf(channel, 'language')).toBe('fa');
    expect(textOf(channel, 'generator')).toBe('Chapar 0.1.0');
    expect(textOf(channel, 'ttl')).toBe('15');
    expect(textOf(channel, 'lastBuildDate')).toBe('Wed, 20 Mar 2024 08:30:00 GMT');
    expect(child(channel, 'image')?.children.map((c) => [c.name, c.text])).toEqual([
      ['url', 'https://chapar.example/icon.png'],
      ['title', 'اخبار اقتصاد & بازار <ویژه>'],
      ['link', 'https://chapar.example/feeds/akhbar'],
    ]);
    const described = parseXml(renderRss(persianFeed('rss', { description: 'گزیده‌ی خبرها' })));
    expect(textOf(child(described, 'channel'), 'description')).toBe('گزیده‌ی خبرها');
  });

  it('links self (query kept and escaped), every hub and the next page', () => {
    expect(linksOf(channel, 'atom:link', 'self')).toEqual([`https://chapar.example/feeds/akhbar.rss${SELF_QUERY}`]);
    expect(xml).toContain(`href="https://chapar.example/feeds/akhbar.rss?category=eghtesad&#x26;q=%D9%86%D9%81%D8%AA" rel="self" type="application/rss+xml"`);
    expect(linksOf(channel, 'atom:link', 'hub')).toEqual(['https://hub.example/', 'https://websub.example/hub?x=1&y=2']);
    expect(linksOf(channel, 'atom:link', 'next')).toEqual([
      'https://chapar.example/feeds/akhbar.rss?category=eghtesad&before=2024-03-18T10:00:00Z',
    ]);
    const last = parseXml(renderRss(persianFeed('rss', { nextUrl: null, hubs: [] })));
    expect(linksOf(child(last, 'channel'), 'atom:link', 'next')).toEqual([]);
    expect(linksOf(child(last, 'channel'), 'atom:link', 'hub')).toEqual([]);
  });

  it('links the first and previous pages when given, escaped like next, with the RSS type', () => {
    const middle = renderRss(persianFeed('rss', { firstUrl: MIDDLE.first('rss'), previousUrl: MIDDLE.previous('rss') }));
    const paged = child(parseXml(middle), 'channel');
    expect(linksOf(paged, 'atom:link', 'first')).toEqual([MIDDLE.first('rss')]);
    expect(linksOf(paged, 'atom:link', 'previous')).toEqual([MIDDLE.previous('rss')]);
    expect(middle).toContain(`href="https://chapar.example/feeds/akhbar.rss?category=eghtesad&#x26;after=2024-03-20T08:00:00Z" rel="previous" type="application/rss+xml"/>`);
    expect(linksOf(channel, 'atom:link', 'first')).toEqual([]);
    expect(linksOf(channel, 'atom:link', 'previous')).toEqual([]);
  });

  it('keeps the given order and dates items in RFC 822 GMT', () => {
    expect(children(channel, 'item').map((item) => textOf(item, 'pubDate'))).toEqual([
      'Wed, 20 Mar 2024 08:00:00 GMT',
      'Tue, 19 Mar 2024 20:15:00 GMT',
      'Mon, 18 Mar 2024 10:00:00 GMT',
    ]);
  });

  it('marks a guid as a permalink only when it is an absolute URL meant as one', () => {
    expect(child(first, 'guid')).toMatchObject({ attrs: { isPermaLink: 'true' }, text: 'https://khabar.example.ir/news/1402' });
    expect(child(second, 'guid')).toMatchObject({ attrs: { isPermaLink: 'false' }, text: 'tag:chapar.example,2024:item/7' });
    expect(child(third, 'guid')).toMatchObject({ attrs: { isPermaLink: 'false' }, text: 'episode-77@radio.example' });
  });

  it('sends the summary as description and the full HTML as content:encoded', () => {
    expect(textOf(first, 'title')).toBe('قیمت نفت < ۸۰ دلار & بازار');
    expect(textOf(first, 'link')).toBe('https://khabar.example.ir/news/1402/%D9%82%DB%8C%D9%85%D8%AA-%D9%86%D9%81%D8%AA');
    expect(textOf(first, 'description')).toBe('<p>خلاصه با &amp; و &lt;</p>');
    expect(textOf(first, 'content:encoded')).toBe(persianItems()[0]!.contentHtml);
    expect(xml).toContain('<description>&lt;p&gt;خلاصه با &amp;amp; و &amp;lt;&lt;/p&gt;</description>');
    expect(child(second, 'description')).toBeUndefined();
    expect(child(second, 'content:encoded')).toBeUndefined();
    // A plain-text summary becomes HTML, so "<" and "&" still read as themselves.
    expect(textOf(third, 'description')).toBe('متن ساده: a &lt; b و AT&amp;T');
    expect(child(third, 'content:encoded')).toBeUndefined();
    const contentOnly = { ...persianItems()[0]!, summary: null };
    const item = child(child(parseXml(renderRss(persianFeed('rss', { items: [contentOnly] }))), 'channel'), 'item');
    expect(textOf(item, 'description')).toBe(contentOnly.contentHtml);
    expect(child(item, 'content:encoded')).toBeUndefined();
  });

  it('names authors with dc:creator and lists category labels', () => {
    expect(textOf(first, 'dc:creator')).toBe('علی رضایی & همکاران <تهران>');
    expect(textOf(third, 'dc:creator')).toBe('رادیو گفتگو');
    expect(children(first, 'author')).toEqual([]);
    expect(child(second, 'dc:creator')).toBeUndefined();
    expect(children(first, 'category').map((c) => c.text)).toEqual(['اقتصاد & بازار', '<نفت>']);
    expect(children(second, 'category')).toEqual([]);
  });

  it('carries the first enclosure with url, length and type', () => {
    expect(children(third, 'enclosure').map((e) => e.attrs)).toEqual([
      { url: 'https://cdn.radio.example/ep%2077.mp3?sig=a&b=c', length: '1234567', type: 'audio/mpeg' },
    ]);
    const unknown = { ...persianItems()[2]!, enclosures: [{ url: 'https://cdn.radio.example/x.ogg', type: null, length: null }] };
    const item = child(child(parseXml(renderRss(persianFeed('rss', { items: [unknown] }))), 'channel'), 'item');
    expect(child(item, 'enclosure')?.attrs).toEqual({ url: 'https://cdn.radio.example/x.ogg', length: '0', type: 'application/octet-stream' });
  });

  it('leaves out a channel image RSS cannot carry', () => {
    const ico = parseXml(renderRss(persianFeed('rss', { iconUrl: 'https://chapar.example/favicon.ico' })));
    expect(child(child(ico, 'channel'), 'image')).toBeUndefined();
  });
});

describe('renderAtom', () => {
  const xml = renderAtom(persianFeed('atom', { description: 'گزیده‌ی خبرها' }));
  const feed = parseXml(xml);
  const [first, second, third] = children(feed, 'entry');

  it('is a well-formed Atom 1.0 document in the feed language', () => {
    expect(feed.name).toBe('feed');
    expect(feed.attrs).toEqual({ xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': 'fa' });
    expect(children(feed, 'entry')).toHaveLength(3);
  });

  it('describes the feed', () => {
    expect(textOf(feed, 'id')).toBe('tag:chapar.example,2024:feeds/akhbar');
    expect(child(feed, 'title')).toMatchObject({ attrs: { type: 'text' }, text: 'اخبار اقتصاد & بازار <ویژه>' });
    expect(child(feed, 'subtitle')).toMatchObject({ attrs: { type: 'text' }, text: 'گزیده‌ی خبرها' });
    expect(textOf(feed, 'updated')).toBe('2024-03-20T08:30:00Z');
    expect(textOf(feed, 'icon')).toBe('https://chapar.example/icon.png');
    expect(textOf(feed, 'generator')).toBe('Chapar 0.1.0');
    expect(linksOf(feed, 'link', 'alternate')).toEqual(['https://chapar.example/feeds/akhbar']);
    // The second entry has no author of its own, so the feed names one.
    expect(textOf(child(feed, 'author'), 'name')).toBe('اخبار اقتصاد & بازار <ویژه>');
    const noDescription = parseXml(renderAtom(persianFeed('atom')));
    expect(child(noDescription, 'subtitle')).toBeUndefined();
  });

  it('links self (query kept and escaped), every hub and the next page', () => {
    expect(linksOf(feed, 'link', 'self')).toEqual([`https://chapar.example/feeds/akhbar.atom${SELF_QUERY}`]);
    expect(xml).toContain(`<link rel="self" type="application/atom+xml" href="https://chapar.example/feeds/akhbar.atom?category=eghtesad&#x26;q=%D9%86%D9%81%D8%AA"/>`);
    expect(linksOf(feed, 'link', 'hub')).toEqual(['https://hub.example/', 'https://websub.example/hub?x=1&y=2']);
    expect(linksOf(feed, 'link', 'next')).toEqual([
      'https://chapar.example/feeds/akhbar.atom?category=eghtesad&before=2024-03-18T10:00:00Z',
    ]);
    expect(linksOf(parseXml(renderAtom(persianFeed('atom', { nextUrl: null }))), 'link', 'next')).toEqual([]);
  });

  it('links the first and previous pages when given, escaped like next, with the Atom type', () => {
    const middle = renderAtom(persianFeed('atom', { firstUrl: MIDDLE.first('atom'), previousUrl: MIDDLE.previous('atom') }));
    const paged = parseXml(middle);
    expect(linksOf(paged, 'link', 'first')).toEqual([MIDDLE.first('atom')]);
    expect(linksOf(paged, 'link', 'previous')).toEqual([MIDDLE.previous('atom')]);
    expect(middle).toContain(`<link rel="previous" type="application/atom+xml" href="https://chapar.example/feeds/akhbar.atom?category=eghtesad&#x26;after=2024-03-20T08:00:00Z"/>`);
    expect(linksOf(feed, 'link', 'first')).toEqual([]);
    expect(linksOf(feed, 'link', 'previous')).toEqual([]);
  });

  it('gives every entry a URI id: the guid when it is one, else one under the feed id', () => {
    expect(children(feed, 'entry').map((entry) => textOf(entry, 'id'))).toEqual([
      'https://khabar.example.ir/news/1402',
      'tag:chapar.example,2024:item/7',
      'tag:chapar.example,2024:feeds/akhbar#guid=episode-77%40radio.example',
    ]);
  });

  it('dates entries in RFC 3339, updated falling back to published', () => {
    expect([textOf(first, 'published'), textOf(first, 'updated')]).toEqual(['2024-03-20T08:00:00Z', '2024-03-20T08:30:00Z']);
    expect([textOf(second, 'published'), textOf(second, 'updated')]).toEqual(['2024-03-19T20:15:00Z', '2024-03-19T20:15:00Z']);
  });

  it('sends titles as text and bodies as HTML', () => {
    expect(child(first, 'title')).toMatchObject({ attrs: { type: 'text' }, text: 'قیمت نفت < ۸۰ دلار & بازار' });
    expect(linksOf(first, 'link', 'alternate')).toEqual(['https://khabar.example.ir/news/1402/%D9%82%DB%8C%D9%85%D8%AA-%D9%86%D9%81%D8%AA']);
    expect(child(first, 'content')).toMatchObject({ attrs: { type: 'html' }, text: persianItems()[0]!.contentHtml });
    expect(child(first, 'summary')).toMatchObject({ attrs: { type: 'html' }, text: '<p>خلاصه با &amp; و &lt;</p>' });
    // Without content or summary an entry still needs a textual summary.
    expect(child(second, 'content')).toBeUndefined();
    expect(child(second, 'summary')).toMatchObject({ attrs: { type: 'text' }, text: 'خبر بدون خلاصه' });
    expect(child(third, 'content')).toBeUndefined();
    expect(child(third, 'summary')).toMatchObject({ attrs: { type: 'text' }, text: 'متن ساده: a < b و AT&T' });
  });

  it('declares text that looks like an end tag as escaped HTML', () => {
    const tagged = { ...persianItems()[1]!, title: 'کاربرد </b> در HTML' };
    const entry = child(parseXml(renderAtom(persianFeed('atom', { items: [tagged] }))), 'entry');
    expect(child(entry, 'title')).toMatchObject({ attrs: { type: 'html' }, text: 'کاربرد &lt;/b&gt; در HTML' });
  });

  it('names authors, and categories by term and label', () => {
    expect(textOf(child(first, 'author'), 'name')).toBe('علی رضایی & همکاران <تهران>');
    expect(textOf(child(third, 'author'), 'name')).toBe('رادیو گفتگو');
    expect(child(second, 'author')).toBeUndefined();
    expect(children(first, 'category').map((c) => c.attrs)).toEqual([
      { term: 'eghtesad', label: 'اقتصاد & بازار' },
      { term: 'naft', label: '<نفت>' },
    ]);
  });

  it('links every enclosure', () => {
    expect(children(third, 'link').filter((l) => l.attrs.rel === 'enclosure').map((l) => l.attrs)).toEqual([
      { rel: 'enclosure', type: 'audio/mpeg', length: '1234567', href: 'https://cdn.radio.example/ep%2077.mp3?sig=a&b=c' },
      { rel: 'enclosure', href: 'https://cdn.radio.example/ep77.ogg' },
    ]);
  });

  it('needs no feed author when every entry has one', () => {
    const authored = parseXml(renderAtom(persianFeed('atom', { items: [persianItems()[0]!] })));
    expect(child(authored, 'author')).toBeUndefined();
  });
});

describe('renderJsonFeed', () => {
  const json = renderJsonFeed(persianFeed('json', { description: 'گزیده‌ی خبرها' }));
  const document = JSON.parse(json) as Record<string, unknown> & { items: Record<string, unknown>[] };
  const [first, second, third] = document.items;

  it('is JSON Feed 1.1 with Persian as real characters', () => {
    expect(document).toMatchObject({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'اخبار اقتصاد & بازار <ویژه>',
      home_page_url: 'https://chapar.example/feeds/akhbar',
      feed_url: `https://chapar.example/feeds/akhbar.json${SELF_QUERY}`,
      description: 'گزیده‌ی خبرها',
      language: 'fa',
      icon: 'https://chapar.example/icon.png',
      next_url: 'https://chapar.example/feeds/akhbar.json?category=eghtesad&before=2024-03-18T10:00:00Z',
      hubs: [
        { type: 'WebSub', url: 'https://hub.example/' },
        { type: 'WebSub', url: 'https://websub.example/hub?x=1&y=2' },
      ],
    });
    expect(json).toContain('"title":"اخبار اقتصاد & بازار <ویژه>"');
    expect(json).not.toMatch(/\\u06/);
  });

  it('gives items string ids, HTML bodies, plain summaries and an authors array', () => {
    expect(first).toEqual({
      id: 'https://khabar.example.ir/news/1402',
      url: 'https://khabar.example.ir/news/1402/%D9%82%DB%8C%D9%85%D8%AA-%D9%86%D9%81%D8%AA',
      title: 'قیمت نفت < ۸۰ دلار & بازار',
      content_html: persianItems()[0]!.contentHtml,
      summary: 'خلاصه با & و <',
      date_published: '2024-03-20T08:00:00Z',
      date_modified: '2024-03-20T08:30:00Z',
      authors: [{ name: 'علی رضایی & همکاران <تهران>' }],
      tags: ['اقتصاد & بازار', '<نفت>'],
    });
    expect(first).not.toHaveProperty('author');
  });

  it('always has a body, and leaves out what an item lacks', () => {
    expect(second).toEqual({
      id: 'tag:chapar.example,2024:item/7',
      url: 'https://chapar.example/items/7',
      title: 'خبر بدون خلاصه',
      content_text: '',
      date_published: '2024-03-19T20:15:00Z',
    });
    expect(third).toMatchObject({
      id: 'episode-77@radio.example',
      content_text: 'متن ساده: a < b و AT&T',
      authors: [{ name: 'رادیو گفتگو' }],
      attachments: [
        { url: 'https://cdn.radio.example/ep%2077.mp3?sig=a&b=c', mime_type: 'audio/mpeg', size_in_bytes: 1234567 },
        { url: 'https://cdn.radio.example/ep77.ogg', mime_type: 'application/octet-stream' },
      ],
    });
    expect(third).not.toHaveProperty('summary');
    expect(third).not.toHaveProperty('content_html');
  });

  it('turns an HTML-only summary into the HTML body', () => {
    const summaryOnly = { ...persianItems()[1]!, summary: '<p>فقط <em>خلاصه</em></p>' };
    const [item] = (JSON.parse(renderJsonFeed(persianFeed('json', { items: [summaryOnly] }))) as { items: unknown[] }).items;
    expect(item).toMatchObject({ content_html: '<p>فقط <em>خلاصه</em></p>' });
    expect(item).not.toHaveProperty('summary');
    expect(item).not.toHaveProperty('content_text');
  });

  it('has no place for first and previous: JSON Feed 1.1 defines next_url only', () => {
    const middle = JSON.parse(renderJsonFeed(persianFeed('json', { firstUrl: MIDDLE.first('json'), previousUrl: MIDDLE.previous('json') })));
    expect(Object.keys(middle)).toEqual(Object.keys(JSON.parse(renderJsonFeed(persianFeed('json')))));
    expect(JSON.stringify(middle)).not.toContain('after=');
  });

  it('leaves out the optional feed fields when they are empty', () => {
    const bare = JSON.parse(renderJsonFeed(persianFeed('json', { hubs: [], nextUrl: null, iconUrl: null, language: null, items: [] })));
    expect(Object.keys(bare)).toEqual(['version', 'title', 'home_page_url', 'feed_url', 'items']);
  });
});

describe('escaping', () => {
  const hostile: RenderItem = {
    ...persianItems()[0]!,
    title: 'Bad\u0001 \u0008chars\uFFFE \u0085and a lone \uD800 surrogate ]]> 😀',
    contentHtml: '<p>ends ]]> early\u0000</p>',
    summary: null,
    author: 'A\u000B"B"',
    categories: [{ term: 'q"t', label: 'say "hi" & <bye>\t\n' }],
  };

  it('drops characters XML 1.0 forbids and never lets "]]>" through raw', () => {
    for (const render of [renderRss, renderAtom]) {
      const xml = render(persianFeed('rss', { title: 'T\u0002itle', items: [hostile] }));
      const root = parseXml(xml);
      expect(xml).not.toContain(']]>');
      const entry = child(root, 'entry') ?? child(child(root, 'channel'), 'item');
      expect(textOf(entry, 'title')).toBe('Bad chars and a lone  surrogate ]]> 😀');
      expect(textOf(root, 'title') ?? textOf(child(root, 'channel'), 'title')).toBe('Title');
    }
  });

  it('escapes quotes and keeps whitespace in attributes', () => {
    const entry = child(parseXml(renderAtom(persianFeed('atom', { items: [hostile] }))), 'entry');
    expect(child(entry, 'category')?.attrs).toEqual({ term: 'q"t', label: 'say "hi" & <bye>\t\n' });
  });

  it('keeps every plain-text element on one line', () => {
    const multiline = { ...persianItems()[1]!, title: 'سطر یک\nسطر دو\r\n' };
    const xml = renderRss(persianFeed('rss', { items: [multiline] }));
    expect(xml).toContain('<title>سطر یک&#xA;سطر دو&#xD;&#xA;</title>');
    expect(textOf(child(child(parseXml(xml), 'channel'), 'item'), 'title')).toBe('سطر یک\nسطر دو\r\n');
  });

  it('keeps any text intact through XML, whatever its characters', () => {
    const awkward = fc.string({
      unit: fc.oneof(
        fc.constantFrom('&', '<', '>', '"', "'", ']]>', '&amp;', '&#x26;', '</b>', '\r', '\t', '\n', 'ی', '\u200C', '\u0000', '\uD800', '\uFFFE'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
    });
    const strip = (value: string) =>
      value.replace(/[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFC\u{10000}-\u{10FFFF}]/gu, '');
    fc.assert(
      fc.property(awkward, awkward, awkward, awkward, (title, text, label, guid) => {
        const item: RenderItem = {
          ...persianItems()[0]!,
          title,
          guid,
          guidIsPermaLink: false,
          contentHtml: text,
          summary: text,
          author: text,
          categories: [{ term: label, label }],
        };
        const feed = persianFeed('rss', { title, description: text, items: [item] });
        const rss = child(parseXml(renderRss(feed)), 'channel');
        expect(textOf(rss, 'title')).toBe(strip(title));
        expect(textOf(child(rss, 'item'), 'guid')).toBe(strip(guid));
        const atom = parseXml(renderAtom(feed));
        const atomTitle = child(atom, 'title');
        const asHtml = strip(title).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
        expect(atomTitle?.text).toBe(atomTitle?.attrs.type === 'html' ? asHtml : strip(title));
        expect(textOf(child(atom, 'entry'), 'id')).toMatch(/^[a-z][a-z0-9+.-]*:[\x21-\x7E]+$/);
        const json = JSON.parse(renderJsonFeed(feed)) as { title: string; items: { id: string }[] };
        expect(json.title).toBe(title);
        expect(json.items[0]?.id).toBe(guid);
      }),
      { numRuns: 300 },
    );
  });
});

describe('determinism and purity', () => {
  it('renders the same bytes for the same input, without touching it', () => {
    for (const [format, render] of [
      ['rss', renderRss],
      ['atom', renderAtom],
      ['json', renderJsonFeed],
    ] as const) {
      const input = persianFeed(format);
      const before = structuredClone(input);
      const once = render(input);
      expect(render(structuredClone(input))).toBe(once);
      expect(input).toEqual(before);
    }
  });

  it('renders an empty feed', () => {
    for (const render of [renderRss, renderAtom]) {
      const root = parseXml(render(persianFeed('rss', { items: [] })));
      expect(children(root, 'entry').length + children(child(root, 'channel'), 'item').length).toBe(0);
      expect(child(root, 'author')).toBeUndefined();
    }
  });
});

describe('helpers', () => {
  it('toUri writes ASCII URLs in RFC 3986 normal form', () => {
    expect(toUri('https://khabar.example.ir/خبر?q=نفت&x=1')).toBe('https://khabar.example.ir/%D8%AE%D8%A8%D8%B1?q=%D9%86%D9%81%D8%AA&x=1');
    expect(toUri('HTTP://Example.COM:80/a/%7euser/%d8%b3/./b|c')).toBe('http://example.com/a/~user/%D8%B3/b%7Cc');
    expect(toUri('https://نمونه.example/')).toBe('https://xn--hhbbbed.example/');
    expect(toUri('not a url')).toBe('not a url');
  });

  it('htmlToText keeps the visible text', () => {
    expect(htmlToText('<p>یک&nbsp;<b>دو</b></p><p>سه &amp; &#x3C;چهار&#62;</p>')).toBe('یک دو سه & <چهار>');
    expect(htmlToText('<p>می\u200Cخواهم</p>')).toBe('می\u200Cخواهم');
    expect(htmlToText('a < b & c')).toBe('a < b & c');
  });

  it('authorName drops e-mail addresses', () => {
    expect(authorName('ali@example.ir (علی)')).toBe('علی');
    expect(authorName('مریم <maryam@example.ir>')).toBe('مریم');
    expect(authorName('<only@example.ir>')).toBe('only@example.ir');
    expect(authorName('  ')).toBeNull();
    expect(authorName('علی & همکاران <تهران>')).toBe('علی & همکاران <تهران>');
  });
});
