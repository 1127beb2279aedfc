import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedFeed, ParsedItem } from '../../src/core/types.ts';
import { parseFeed } from '../../src/ingest/parse.ts';

const BASE = 'https://example.com/feeds/main.xml';

const parse = (text: string, base = BASE) => parseFeed(text, base);

async function firstItem(text: string, base = BASE): Promise<ParsedItem> {
  const feed = await parse(text, base);
  const item = feed.items[0];
  if (!item) throw new Error('test: the feed has no item');
  return item;
}

const rss = (items: string, channel = '', ns = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"${ns}><channel><title>Feed</title><link>https://example.com/</link>${channel}${items}</channel></rss>`;

const atom = (entries: string, feed = '') =>
  `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Feed</title>${feed}${entries}</feed>`;

const NS_DC = ' xmlns:dc="http://purl.org/dc/elements/1.1/"';
const NS_CONTENT = ' xmlns:content="http://purl.org/rss/1.0/modules/content/"';

describe('RSS 2.0', () => {
  it('maps every field of an item', async () => {
    const feed = await parse(
      rss(
        `<item>
          <title>First post</title>
          <link>https://example.com/posts/1?utm_source=rss&amp;utm_medium=feed&amp;id=1</link>
          <guid isPermaLink="false">post-1</guid>
          <description>&lt;p&gt;Short &lt;b&gt;summary&lt;/b&gt;&lt;/p&gt;</description>
          <content:encoded><![CDATA[<p>Full <a href="/about">text</a></p>]]></content:encoded>
          <dc:creator>Sara Ahmadi</dc:creator>
          <category>Tech</category><category domain="https://example.com/tags"> tech </category><category>News</category>
          <pubDate>Tue, 19 Aug 2014 06:44:00 +0430</pubDate>
          <enclosure url="/audio/1.mp3" length="12345" type="audio/mpeg"/>
        </item>`,
        '<language>en-us</language><lastBuildDate>Wed, 20 Aug 2014 10:00:00 GMT</lastBuildDate>',
        NS_DC + NS_CONTENT,
      ),
    );
    expect(feed).toEqual<ParsedFeed>({
      format: 'rss',
      feed: { title: 'Feed', link: 'https://example.com/', language: 'en-us', updated: '2014-08-20T10:00:00.000Z' },
      items: [
        {
          guid: 'post-1',
          title: 'First post',
          url: 'https://example.com/posts/1?id=1',
          summary: '<p>Short <b>summary</b></p>',
          content: '<p>Full <a href="https://example.com/about">text</a></p>',
          author: 'Sara Ahmadi',
          categories: ['Tech', 'News'],
          publishedAt: '2014-08-19T02:14:00.000Z',
          updatedAt: null,
          enclosures: [{ url: 'https://example.com/audio/1.mp3', type: 'audio/mpeg', length: 12345 }],
        },
      ],
    });
  });

  it('leaves guid, dates and content null when the item has none', async () => {
    const item = await firstItem(rss('<item><title>Only a title</title></item>'));
    expect(item).toMatchObject({ guid: null, url: null, summary: null, content: null, author: null, publishedAt: null, updatedAt: null, categories: [] });
  });

  it('uses a permalink guid as the link, but not one marked isPermaLink="false" or a relative one', async () => {
    const feed = await parse(
      rss(
        '<item><guid>https://example.com/p/1</guid></item>' +
          '<item><guid isPermaLink="false">https://example.com/p/2</guid></item>' +
          '<item><guid>12345</guid></item>',
      ),
    );
    expect(feed.items.map((i) => [i.guid, i.url])).toEqual([
      ['https://example.com/p/1', 'https://example.com/p/1'],
      ['https://example.com/p/2', null],
      ['12345', null],
    ]);
  });

  it('reads the name out of an RSS author and prefers FeedBurner’s original link', async () => {
    const item = await firstItem(
      rss(
        '<item><author>editor@example.com (Jo Bloggs)</author><link>https://feeds.feedburner.com/~r/x/1</link><feedburner:origLink>https://example.com/real</feedburner:origLink></item>',
        '',
        ' xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"',
      ),
    );
    expect(item.author).toBe('Jo Bloggs');
    expect(item.url).toBe('https://example.com/real');
  });

  it('treats a description that does not look like HTML as text', async () => {
    const item = await firstItem(rss('<item><description>AT&amp;T: 5 &lt; 6</description></item>'));
    expect(item.summary).toBe('AT&amp;T: 5 &lt; 6');
  });

  it('reads Media RSS and Atom enclosure links', async () => {
    const item = await firstItem(
      rss(
        `<item><media:group><media:content url="https://cdn.example.com/v.mp4" type="video/mp4" fileSize="99"/></media:group>
         <media:content url="/i.jpg" medium="image"/><atom:link rel="enclosure" href="https://cdn.example.com/a.ogg" type="audio/ogg"/></item>`,
        '',
        ' xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom"',
      ),
    );
    expect(item.enclosures).toEqual([
      { url: 'https://example.com/i.jpg', type: null, length: null },
      { url: 'https://cdn.example.com/v.mp4', type: 'video/mp4', length: 99 },
      { url: 'https://cdn.example.com/a.ogg', type: 'audio/ogg', length: null },
    ]);
  });

  it('does not take the channel’s atom:link for its link', async () => {
    const feed = await parse(
      `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><atom:link rel="self" href="https://example.com/feed"/><link>https://example.com/site</link><title>T</title></channel></rss>`,
    );
    expect(feed.feed.link).toBe('https://example.com/site');
  });
});

describe('RSS 0.9x', () => {
  it('reads RSS 0.91 with the Netscape DOCTYPE and its entities', async () => {
    const feed = await parse(`<?xml version="1.0"?>
      <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
      <rss version="0.91"><channel><title>Caf&eacute;</title><link>http://example.com/</link><language>fr</language>
      <item><title>Cr&egrave;me br&ucirc;l&eacute;e</title><link>http://example.com/1</link><description>Tr&egrave;s bon&hellip;</description></item>
      </channel></rss>`);
    expect(feed.format).toBe('rss');
    expect(feed.feed).toMatchObject({ title: 'Café', language: 'fr' });
    expect(feed.items[0]).toMatchObject({ title: 'Crème brûlée', url: 'http://example.com/1', summary: 'Très bon…' });
  });

  it('reads RSS 0.92 and an <rss> without version', async () => {
    for (const version of [' version="0.92"', '']) {
      const item = await firstItem(`<rss${version}><channel><title>T</title><item><title>x</title><link>http://example.com/x</link></item></channel></rss>`);
      expect(item).toMatchObject({ title: 'x', url: 'http://example.com/x' });
    }
  });
});

describe('RSS 1.0 and 0.90 (RDF)', () => {
  it('reads RSS 1.0 with items beside the channel', async () => {
    const feed = await parse(`<?xml version="1.0"?>
      <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"${NS_DC}${NS_CONTENT}>
        <channel rdf:about="https://example.com/"><title>RDF feed</title><link>https://example.com/</link>
          <dc:language>fa</dc:language><dc:date>2024-03-01T12:00:00+03:30</dc:date>
          <items><rdf:Seq><rdf:li rdf:resource="https://example.com/a"/></rdf:Seq></items></channel>
        <item rdf:about="https://example.com/a"><title>A</title><link>https://example.com/a</link>
          <description>Summary</description><content:encoded>&lt;p&gt;Body&lt;/p&gt;</content:encoded>
          <dc:creator>Ali</dc:creator><dc:subject>Science</dc:subject><dc:date>2024-03-01T10:00:00Z</dc:date></item>
      </rdf:RDF>`);
    expect(feed).toEqual<ParsedFeed>({
      format: 'rdf',
      feed: { title: 'RDF feed', link: 'https://example.com/', language: 'fa', updated: '2024-03-01T08:30:00.000Z' },
      items: [
        {
          guid: 'https://example.com/a',
          title: 'A',
          url: 'https://example.com/a',
          summary: 'Summary',
          content: '<p>Body</p>',
          author: 'Ali',
          categories: ['Science'],
          publishedAt: '2024-03-01T10:00:00.000Z',
          updatedAt: null,
          enclosures: [],
        },
      ],
    });
  });

  it('reads RSS 0.90 (Netscape namespace)', async () => {
    const feed = await parse(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
      <channel><title>Old</title><link>http://example.com/</link></channel>
      <item><title>One</title><link>http://example.com/1</link></item><item><title>Two</title><link>http://example.com/2</link></item></rdf:RDF>`);
    expect(feed.format).toBe('rdf');
    expect(feed.items.map((i) => [i.guid, i.title, i.url])).toEqual([
      [null, 'One', 'http://example.com/1'],
      [null, 'Two', 'http://example.com/2'],
    ]);
  });
});

describe('Atom 1.0', () => {
  it('maps every field of an entry', async () => {
    const feed = await parse(
      atom(
        `<entry>
          <id>tag:example.com,2024:1</id>
          <title type="html">&lt;em&gt;Hello&lt;/em&gt; &amp;amp; bye</title>
          <link rel="edit" href="https://example.com/edit/1"/>
          <link rel="alternate" type="application/pdf" href="https://example.com/1.pdf"/>
          <link rel="alternate" type="text/html" href="https://example.com/1?fbclid=abc"/>
          <link rel="enclosure" href="https://example.com/1.mp3" length="42" type="audio/mpeg"/>
          <summary>Plain &lt;summary&gt;</summary>
          <content type="html">&lt;p&gt;Body&lt;/p&gt;</content>
          <author><name>Maryam</name><email>m@example.com</email></author>
          <author><name>Reza</name></author>
          <category term="tech" label="Technology"/><category term="science"/>
          <published>2024-01-01T10:00:00+03:30</published>
          <updated>2024-01-02T10:00:00Z</updated>
        </entry>`,
        '<link href="https://example.com/"/><link rel="self" href="https://example.com/atom"/><updated>2024-01-03T00:00:00Z</updated>',
      ),
    );
    expect(feed).toEqual<ParsedFeed>({
      format: 'atom',
      feed: { title: 'Feed', link: 'https://example.com/', language: null, updated: '2024-01-03T00:00:00.000Z' },
      items: [
        {
          guid: 'tag:example.com,2024:1',
          title: 'Hello & bye',
          url: 'https://example.com/1',
          summary: 'Plain &lt;summary&gt;',
          content: '<p>Body</p>',
          author: 'Maryam, Reza',
          categories: ['Technology', 'science'],
          publishedAt: '2024-01-01T06:30:00.000Z',
          updatedAt: '2024-01-02T10:00:00.000Z',
          enclosures: [{ url: 'https://example.com/1.mp3', type: 'audio/mpeg', length: 42 }],
        },
      ],
    });
  });

  it('inherits the feed author and takes the language from xml:lang', async () => {
    const feed = await parse(
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fa-IR"><title>T</title><author><name>Desk</name></author><entry><title>x</title></entry></feed>`,
    );
    expect(feed.feed.language).toBe('fa-IR');
    expect(feed.items[0]?.author).toBe('Desk');
  });

  it.each([
    ['text', '<title type="text">Tom &amp; Jerry &lt;3</title>', 'Tom & Jerry <3'],
    ['html', '<title type="html">&lt;b&gt;Tom&lt;/b&gt; &amp;amp; Jerry</title>', 'Tom & Jerry'],
    ['xhtml', '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><b>Tom</b> &amp; Jerry</div></title>', 'Tom & Jerry'],
  ])('reads a %s title as plain text', async (_type, title, expected) => {
    expect((await firstItem(atom(`<entry>${title}</entry>`))).title).toBe(expected);
  });

  it.each([
    ['text', '<content type="text">a &lt;b&gt; c &amp; d</content>', 'a &lt;b&gt; c &amp; d'],
    ['html', '<content type="html">&lt;p&gt;a &lt;b&gt;b&lt;/b&gt;&lt;/p&gt;</content>', '<p>a <b>b</b></p>'],
    ['html in CDATA', '<content type="html"><![CDATA[<p>a & b < c</p>]]></content>', '<p>a &amp; b &lt; c</p>'],
    [
      'xhtml',
      '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <b>world</b> again</p></div></content>',
      '<p>Hello <b>world</b> again</p>',
    ],
    [
      'xhtml with a prefix',
      '<content type="xhtml"><x:div xmlns:x="http://www.w3.org/1999/xhtml"><x:p>Hi <x:i>there</x:i></x:p></x:div></content>',
      '<p>Hi <i>there</i></p>',
    ],
    [
      'xhtml keeping the direction',
      '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml" dir="rtl"><p>سلام</p></div></content>',
      '<div dir="rtl"><p>سلام</p></div>',
    ],
  ])('turns %s content into sanitised HTML', async (_type, content, expected) => {
    expect((await firstItem(atom(`<entry><title>x</title>${content}</entry>`))).content).toBe(expected);
  });

  it('ignores out-of-line content', async () => {
    expect((await firstItem(atom('<entry><content src="https://example.com/movie.mp4" type="video/mp4"/></entry>'))).content).toBeNull();
  });

  it('reads an Atom feed written with a prefix', async () => {
    const feed = await parse(
      `<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>Prefixed</a:title><a:entry><a:id>1</a:id><a:title>E</a:title><a:link href="https://example.com/e"/></a:entry></a:feed>`,
    );
    expect(feed.feed.title).toBe('Prefixed');
    expect(feed.items[0]).toMatchObject({ guid: '1', title: 'E', url: 'https://example.com/e' });
  });
});

describe('Atom 0.3', () => {
  it('reads modified/issued dates and escaped, base64 and multipart content', async () => {
    const feed = await parse(`<feed version="0.3" xmlns="http://purl.org/atom/ns#">
      <title>Old Atom</title><link rel="alternate" type="text/html" href="http://example.com/"/><modified>2004-01-01T19:48:21Z</modified>
      <entry><title>One</title><link rel="alternate" type="text/html" href="http://example.com/1"/><id>urn:1</id>
        <issued>2003-12-31T10:14:55-05:00</issued><modified>2004-01-01T00:00:00Z</modified>
        <summary type="text/html" mode="escaped">&lt;b&gt;Escaped&lt;/b&gt;</summary>
        <content type="text/plain" mode="xml">plain</content>
        <content type="text/html" mode="base64">PHA+QmFzZTY0PC9wPg==</content>
      </entry></feed>`);
    expect(feed.feed).toEqual({ title: 'Old Atom', link: 'http://example.com/', language: null, updated: '2004-01-01T19:48:21.000Z' });
    expect(feed.items[0]).toMatchObject({
      guid: 'urn:1',
      url: 'http://example.com/1',
      summary: '<b>Escaped</b>',
      content: '<p>Base64</p>',
      publishedAt: '2003-12-31T15:14:55.000Z',
      updatedAt: '2004-01-01T00:00:00.000Z',
    });
  });

  it('reads markup left inline in a text construct as HTML', async () => {
    const item = await firstItem(`<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><summary>Example <b>Atom</b></summary></entry></feed>`);
    expect(item.summary).toBe('Example <b>Atom</b>');
  });
});

describe('JSON Feed', () => {
  it('reads version 1.1 with authors and language', async () => {
    const feed = await parse(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'JSON feed',
        home_page_url: 'https://example.com/',
        feed_url: 'https://example.com/feed.json',
        language: 'fa',
        authors: [{ name: 'Feed Desk' }],
        items: [
          {
            id: 'a1',
            url: '/posts/a1?utm_campaign=x',
            title: 'Caf&eacute; news',
            content_html: '<p onclick="x()">Hi <script>alert(1)</script></p>',
            summary: 'A < B',
            date_published: '2024-05-01T08:00:00+03:30',
            date_modified: '2024-05-02T08:00:00Z',
            tags: ['Tech', ' tech ', 'Art'],
            authors: [{ name: 'Nima' }, { name: 'Leila' }],
            attachments: [{ url: 'https://cdn.example.com/a.mp3', mime_type: 'audio/mpeg', size_in_bytes: 1000 }],
          },
          { id: 7, content_text: 'Text & more' },
        ],
      }),
    );
    expect(feed).toEqual<ParsedFeed>({
      format: 'json',
      feed: { title: 'JSON feed', link: 'https://example.com/', language: 'fa', updated: null },
      items: [
        {
          guid: 'a1',
          title: 'Café news',
          url: 'https://example.com/posts/a1',
          summary: 'A &lt; B',
          content: '<p>Hi </p>',
          author: 'Nima, Leila',
          categories: ['Tech', 'Art'],
          publishedAt: '2024-05-01T04:30:00.000Z',
          updatedAt: '2024-05-02T08:00:00.000Z',
          enclosures: [{ url: 'https://cdn.example.com/a.mp3', type: 'audio/mpeg', length: 1000 }],
        },
        {
          guid: '7',
          title: null,
          url: null,
          summary: null,
          content: 'Text &amp; more',
          author: 'Feed Desk',
          categories: [],
          publishedAt: null,
          updatedAt: null,
          enclosures: [],
        },
      ],
    });
  });

  it('reads version 1.0 with a single author', async () => {
    const item = await firstItem(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1',
        title: 'Old JSON',
        items: [{ id: 'x', external_url: 'https://elsewhere.example/x', author: { name: 'Solo' }, content_text: 'hi' }],
      }),
    );
    expect(item).toMatchObject({ guid: 'x', url: 'https://elsewhere.example/x', author: 'Solo', content: 'hi' });
  });

  it('rejects broken JSON and JSON that is not a feed', async () => {
    await expect(parse('{"version": "https://jsonfeed.org/version/1.1", ')).rejects.toThrow(/^parse: not valid JSON/);
    await expect(parse('{"hello": "world"}')).rejects.toThrow(/^parse: JSON document is not a JSON Feed/);
  });
});

describe('Persian feeds', () => {
  it('reads a Jalali pubDate in Tehran time and keeps Persian text intact', async () => {
    const feed = await parse(`<?xml version="1.0" encoding="utf-8"?>
      <rss version="2.0"><channel><title>خبرگزاری نمونه</title><link>https://news.example.ir/</link><language>fa</language>
      <item><title>می&zwnj;خواهیم&nbsp;بدانیم</title><link>https://news.example.ir/news/1</link>
      <description><![CDATA[<p dir="rtl">متن <strong>خبر</strong></p>]]></description>
      <category>سیاسی</category><category>سياسي</category>
      <pubDate>سه شنبه, ۲۸ مرداد ۱۳۹۳ ۰۲:۴۴</pubDate></item></channel></rss>`);
    expect(feed.feed).toMatchObject({ title: 'خبرگزاری نمونه', language: 'fa' });
    expect(feed.items[0]).toMatchObject({
      title: 'می\u200cخواهیم بدانیم',
      summary: '<p dir="rtl">متن <strong>خبر</strong></p>',
      categories: ['سیاسی'],
      publishedAt: '2014-08-18T22:14:00.000Z',
    });
  });
});

describe('entities and escaping', () => {
  it('turns HTML named entities into characters in titles and bodies', async () => {
    const item = await firstItem(
      rss('<item><title>Caf&eacute; &ndash; &ldquo;quoted&rdquo;&hellip;&nbsp;&copy;</title><description>&lt;p&gt;x&lt;/p&gt; &eacute; &rsquo;</description></item>'),
    );
    expect(item.title).toBe('Café – “quoted”… ©');
    expect(item.summary).toBe('<p>x</p> é ’');
  });

  it('reads Windows-1252 character references the way browsers do', async () => {
    expect((await firstItem(rss('<item><title>It&#146;s &#150; fine</title></item>'))).title).toBe('It’s – fine');
  });

  it('decodes a double-escaped entity in an RSS title once more, as HTML', async () => {
    expect((await firstItem(rss('<item><title>Tom &amp;amp; Jerry</title></item>'))).title).toBe('Tom & Jerry');
  });

  it('keeps a bare ampersand and an unknown entity as text', async () => {
    const item = await firstItem(rss('<item><title>AT&T & Co &bogus;</title><link>https://example.com/?a=1&b=2</link></item>'));
    expect(item.title).toBe('AT&T & Co &bogus;');
    expect(item.url).toBe('https://example.com/?a=1&b=2');
  });

  it('keeps & and < from CDATA as text in a title and as escaped HTML in a body', async () => {
    const item = await firstItem(rss('<item><title><![CDATA[Fish & Chips < 5€]]></title><description><![CDATA[Fish & Chips < 5€]]></description></item>'));
    expect(item.title).toBe('Fish & Chips < 5€');
    expect(item.summary).toBe('Fish &amp; Chips &lt; 5€');
  });

  it('strips a byte-order mark', async () => {
    expect((await parse(`\uFEFF${rss('<item><title>x</title></item>')}`)).items).toHaveLength(1);
  });
});

describe('hostile documents', () => {
  it('never reads an external entity (XXE)', async () => {
    const feed = await parse(`<?xml version="1.0"?>
      <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY remote SYSTEM "http://evil.example/x">]>
      <rss version="2.0"><channel><title>&xxe;</title><item><title>&remote;</title><description>&xxe;</description></item></channel></rss>`);
    expect(feed.feed.title).toBe('&xxe;');
    expect(feed.items[0]?.title).toBe('&remote;');
    expect(JSON.stringify(feed)).not.toContain('root:');
  });

  it('does not expand a billion laughs', async () => {
    const lols = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const feed = await parse(
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${lols}]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol0;&lol1;</title></item></channel></rss>`,
    );
    expect(feed.feed.title).toBe('&lol9;');
    expect(feed.items[0]?.title).toBe('lol&lol1;');
  });

  it('drops scripts, handlers and javascript: links from bodies', async () => {
    const item = await firstItem(
      rss(
        `<item><description><![CDATA[<p onmouseover="steal()">Hi<script>alert(1)</script><a href="jav&#x09;ascript:alert(1)">x</a><img src="x.png" onerror="alert(1)"><iframe src="https://evil.example/"></iframe><style>*{}</style></p>]]></description></item>`,
      ),
    );
    expect(item.summary).toBe('<p>Hi<a>x</a><img src="https://example.com/feeds/x.png" /></p>');
  });

  it('rejects what is not a feed with a parse: error', async () => {
    await expect(parse('')).rejects.toThrow('parse: the document is empty');
    await expect(parse('   \n ')).rejects.toThrow('parse: the document is empty');
    await expect(parse('just words')).rejects.toThrow(/^parse: unable to detect feed format/);
    await expect(parse('<!doctype html><html><head><title>Site</title></head><body>Hi</body></html>')).rejects.toThrow(
      /^parse: unable to detect feed format \(root element <html>: this is an HTML page/,
    );
    await expect(parse('<?xml version="1.0"?><opml version="2.0"><body/></opml>')).rejects.toThrow(/root element <opml>/);
  });
});

describe('ill-formed feeds are read as far as they go, as feedparser does', () => {
  it('recovers a truncated feed', async () => {
    const feed = await parse('<rss version="2.0"><channel><title>Cut</title><item><title>One</title></item><item><title>Tw');
    expect(feed.items.map((i) => i.title)).toEqual(['One', 'Tw']);
  });

  it('recovers a feed with mismatched tags and a stray <', async () => {
    const feed = await parse('<rss><channel><title>a < b</title><item><title>x<b>y</title></item></channel></rss>');
    expect(feed.feed.title).toBe('a < b');
    expect(feed.items).toHaveLength(1);
  });

  it('reads undeclared but well-known namespace prefixes', async () => {
    const item = await firstItem('<rss version="2.0"><channel><item><dc:creator>Undeclared</dc:creator><content:encoded>&lt;p&gt;x&lt;/p&gt;</content:encoded></item></channel></rss>');
    expect(item).toMatchObject({ author: 'Undeclared', content: '<p>x</p>' });
  });
});

describe('relative URLs', () => {
  it('resolves against xml:base at feed and entry level, then the document', async () => {
    const feed = await parse(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/blog/">
      <title>T</title><link href="./"/>
      <entry xml:base="2024/"><title>in 2024</title><link href="post.html"/>
        <content type="html" xml:base="/media/">&lt;img src="a.png"&gt; &lt;a href="../x"&gt;x&lt;/a&gt;</content>
        <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><a href="s">s</a><a xml:base="https://other.example/dir/" href="o">o</a></div></summary></entry>
      <entry><title>no base</title><link href="/root"/></entry></feed>`);
    expect(feed.feed.link).toBe('http://example.org/blog/');
    expect(feed.items[0]).toMatchObject({
      url: 'http://example.org/blog/2024/post.html',
      content: '<img src="http://example.org/media/a.png" /> <a href="http://example.org/x">x</a>',
      summary: '<a href="http://example.org/blog/2024/s">s</a><a href="https://other.example/dir/o">o</a>',
    });
    expect(feed.items[1]?.url).toBe('http://example.org/root');
  });

  it('resolves RSS links against the document URL and an xml:base on the item', async () => {
    const feed = await parse(
      rss('<item><link>../posts/1</link></item><item xml:base="https://cdn.example.net/"><link>2</link><description>&lt;a href="x"&gt;x&lt;/a&gt;</description></item>'),
    );
    expect(feed.items.map((i) => i.url)).toEqual(['https://example.com/posts/1', 'https://cdn.example.net/2']);
    expect(feed.items[1]?.summary).toBe('<a href="https://cdn.example.net/x">x</a>');
  });

  it('ignores an xml:base with an unsafe scheme', async () => {
    const item = await firstItem(atom('<entry xml:base="javascript:alert(1)//"><link href="/p"/></entry>'));
    expect(item.url).toBe('https://example.com/p');
  });

  it('uses the feed’s own absolute links when the document URL is a file', async () => {
    const bySelf = await firstItem(
      `<feed xmlns="http://www.w3.org/2005/Atom"><link rel="self" href="https://example.com/feeds/atom.xml"/><entry><link href="../p/1"/></entry></feed>`,
      'file:///tmp/atom.xml',
    );
    expect(bySelf.url).toBe('https://example.com/p/1');
    const byHome = await firstItem(rss('<item><link>/p/2</link></item>'), 'file:///tmp/rss.xml');
    expect(byHome.url).toBe('https://example.com/p/2');
    const none = await firstItem('<rss><channel><item><link>/p/3</link></item></channel></rss>', 'file:///tmp/rss.xml');
    expect(none.url).toBeNull();
  });
});

const XML_BITS = [
  '<', '>', '/', '&', ';', '"', "'", '=', ' ', '\n', 'x', 'ا', '&amp;', '&nbsp;', '&#', '&#x', '&#0;', '&#xD800;', '&#146;',
  '<?xml version="1.0"?>', '<!DOCTYPE r [', '<!ENTITY a "&a;&a;">', '<!ENTITY b SYSTEM "file:///etc/passwd">', ']>', '&a;', '&b;',
  '<rss version="2.0">', '</rss>', '<channel>', '</channel>', '<item>', '</item>', '<title>', '</title>', '<link>', '</link>',
  '<description>', '</description>', '<pubDate>', '</pubDate>', '<![CDATA[', ']]>', '<!--', '-->', '<feed xmlns="http://www.w3.org/2005/Atom">',
  '</feed>', '<entry>', '</entry>', '<content type="xhtml">', '<content type="html">', '</content>', '<div xmlns="http://www.w3.org/1999/xhtml">',
  '</div>', 'xml:base="', 'href="', '<link href="/x"/>', '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', '</rdf:RDF>',
  '<dc:date>', '</dc:date>', '{', '}', '"items":[', ']', '"version":"https://jsonfeed.org/version/1.1"', ',', ':', '\uFEFF',
];

describe('property: parseFeed only ever rejects with a parse: error', () => {
  const invariant = async (text: string) => {
    try {
      const feed = await parseFeed(text, BASE);
      for (const item of feed.items) {
        if (item.url !== null) expect(item.url).toMatch(/^https?:\/\//);
        for (const date of [item.publishedAt, item.updatedAt]) if (date !== null) expect(date).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
      }
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).message).toMatch(/^parse: /);
    }
  };

  it('on arbitrary strings', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), invariant), { numRuns: 300 });
  });

  it('on strings built from feed-shaped pieces', async () => {
    const pieces = fc.array(fc.constantFrom(...XML_BITS), { maxLength: 80 }).map((bits) => bits.join(''));
    await fc.assert(fc.asyncProperty(pieces, invariant), { numRuns: 500 });
  });
});
