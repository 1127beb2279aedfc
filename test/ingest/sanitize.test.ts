import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlToText, sanitizeHtml } from '../../src/ingest/sanitize.ts';

const BASE = 'https://news.example.ir/articles/1.html';
const clean = (html: string) => sanitizeHtml(html, BASE);

describe('sanitizeHtml keeps what a reader needs', () => {
  it('keeps text, emphasis, lists, headings, quotes, code and tables', () => {
    const html =
      '<h2>Title</h2><p>Some <strong>bold</strong> and <em>italic</em> text.</p>' +
      '<ul><li>one</li></ul><ol start="3"><li>three</li></ol><blockquote>quote</blockquote>' +
      '<pre><code>x &lt; y</code></pre><table><thead><tr><th scope="col">h</th></tr></thead>' +
      '<tbody><tr><td colspan="2">c</td></tr></tbody></table><figure><img src="/i.png" alt="i"><figcaption>cap</figcaption></figure>';
    expect(clean(html)).toBe(
      '<h2>Title</h2><p>Some <strong>bold</strong> and <em>italic</em> text.</p>' +
        '<ul><li>one</li></ul><ol start="3"><li>three</li></ol><blockquote>quote</blockquote>' +
        '<pre><code>x &lt; y</code></pre><table><thead><tr><th scope="col">h</th></tr></thead>' +
        '<tbody><tr><td colspan="2">c</td></tr></tbody></table><figure><img src="https://news.example.ir/i.png" alt="i" /><figcaption>cap</figcaption></figure>',
    );
  });

  it('keeps the writing direction and language (Persian text)', () => {
    expect(clean('<p dir="rtl" lang="fa">سلام <span dir="ltr">Hello</span></p>')).toBe(
      '<p dir="rtl" lang="fa">سلام <span dir="ltr">Hello</span></p>',
    );
    expect(clean('<p dir="evil">x</p>')).toBe('<p>x</p>');
  });

  it('makes links and images absolute against the base', () => {
    expect(clean('<a href="../2.html">next</a> <img src="img/a.jpg" width="10" height="20">')).toBe(
      '<a href="https://news.example.ir/2.html">next</a> <img src="https://news.example.ir/articles/img/a.jpg" width="10" height="20" />',
    );
  });

  it('drops a URL it cannot make absolute when there is no base', () => {
    expect(sanitizeHtml('<a href="/x">x</a><img src="/i.png">', null)).toBe('<a>x</a>');
    expect(sanitizeHtml('<a href="https://e.com/x">x</a>', null)).toBe('<a href="https://e.com/x">x</a>');
  });

  it('keeps mailto links but adds no rel or target', () => {
    expect(clean('<a href="mailto:editor@example.ir" target="_blank" rel="opener">mail</a>')).toBe(
      '<a href="mailto:editor@example.ir">mail</a>',
    );
  });

  it('drops class, id and style attributes', () => {
    expect(clean('<p class="x" id="y" style="color:red">t</p>')).toBe('<p>t</p>');
  });

  it('drops tracking pixels and images without a source', () => {
    expect(clean('<p>a<img src="https://t.example/p.gif" width="1" height="1">b<img alt="nothing"></p>')).toBe('<p>ab</p>');
  });
});

describe('sanitizeHtml refuses attacks', () => {
  it.each([
    ['<script>alert(1)</script>ok', 'ok'],
    ['<SCRIPT SRC=//evil.example/x.js></SCRIPT>ok', 'ok'],
    ['<style>body{display:none}</style>ok', 'ok'],
    ['<iframe src="https://evil.example/"></iframe>ok', 'ok'],
    ['<object data="x.swf"></object><embed src="x.swf">ok', 'ok'],
    ['<form action="https://evil.example/"><input name="q"><button>go</button></form>', 'go'],
    ['<svg onload="alert(1)"><script>alert(1)</script><text>t</text></svg>ok', 'ok'],
    ['<math><mi>x</mi></math>', 'x'],
    ['<textarea>secret</textarea>ok', 'ok'],
    ['<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">ok', 'ok'],
  ])('%s', (html, expected) => {
    expect(clean(html)).toBe(expected);
  });

  it('removes every on* handler', () => {
    expect(clean('<img src="a.png" onerror="alert(1)" onload="alert(2)"><p onclick="x()">t</p>')).toBe(
      '<img src="https://news.example.ir/articles/a.png" /><p>t</p>',
    );
  });

  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'jav&#x09;ascript:alert(1)',
    'jav&#9;ascript:alert(1)',
    '&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)',
    '&#x6A;avascript&colon;alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  ])('drops the link %s', (href) => {
    expect(clean(`<a href="${href}">x</a>`)).toBe('<a>x</a>');
  });

  it('allows no data: images', () => {
    expect(clean('<img src="data:image/png;base64,iVBORw0KGgo=" alt="x">')).toBe('');
  });

  it('escapes stray markup characters in text', () => {
    expect(clean('5 < 6 & "quoted" > 4')).toBe('5 &lt; 6 &amp; "quoted" &gt; 4');
  });

  it('is idempotent', () => {
    const once = clean('<p dir="rtl">a <a href="x">b</a> <img src="i.png" alt="&quot;q&quot;"> &amp; c</p>');
    expect(sanitizeHtml(once, BASE)).toBe(once);
  });
});

describe('htmlToText', () => {
  it('drops tags, decodes entities and collapses whitespace', () => {
    expect(htmlToText('<b>Tom</b> &amp; <i>Jerry</i>&nbsp;&eacute;\n  end')).toBe('Tom & Jerry é end');
  });

  it('does not glue words across block boundaries', () => {
    expect(htmlToText('<p>one</p><p>two</p>three<br>four<li>five</li>')).toBe('one two three four five');
  });

  it('drops script and style content', () => {
    expect(htmlToText('a<script>alert(1)</script><style>p{}</style>b')).toBe('ab');
  });

  it('keeps Persian joiners', () => {
    expect(htmlToText('<p>می&zwnj;شود</p>')).toBe('می\u200cشود');
  });

  it('returns plain text unchanged apart from whitespace', () => {
    expect(htmlToText('  a < b  ')).toBe('a < b');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
  });
});
