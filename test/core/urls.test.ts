import { describe, expect, it } from 'vitest';
import { resolveUrl, stripTracking } from '../../src/core/urls.ts';

describe('stripTracking', () => {
  it('removes utm_* and click ids, keeping other parameters in order', () => {
    expect(stripTracking('https://example.com/a?utm_source=rss&id=7&utm_medium=feed&fbclid=XYZ&page=2')).toBe(
      'https://example.com/a?id=7&page=2',
    );
  });

  it('drops the question mark when nothing is left, and keeps the fragment', () => {
    expect(stripTracking('https://example.com/a?utm_campaign=x&gclid=1#section')).toBe('https://example.com/a#section');
  });

  it.each(['fbclid', 'gclid', 'dclid', 'msclkid', 'mc_cid', 'mc_eid', 'igshid', 'yclid', '_hsenc', '_hsmi', 'ref_src', 'UTM_Source'])(
    'removes %s',
    (param) => {
      expect(stripTracking(`https://example.com/?${param}=1&q=keep`)).toBe('https://example.com/?q=keep');
    },
  );

  it('leaves the spelling of other parameters alone', () => {
    const url = 'https://example.com/s?q=%D8%B3%D9%84%D8%A7%D9%85+x&sig=a%2Fb&utm_term=1';
    expect(stripTracking(url)).toBe('https://example.com/s?q=%D8%B3%D9%84%D8%A7%D9%85+x&sig=a%2Fb');
  });

  it('keeps parameters that merely look similar', () => {
    expect(stripTracking('https://example.com/?ref=main&utmost=1&source=rss')).toBe('https://example.com/?ref=main&utmost=1&source=rss');
  });

  it('returns URLs without a query, and non-URLs, unchanged', () => {
    expect(stripTracking('https://example.com/path')).toBe('https://example.com/path');
    expect(stripTracking('not a url')).toBe('not a url');
  });
});

describe('resolveUrl', () => {
  it('resolves relative references against the base', () => {
    expect(resolveUrl('../b/c.html', 'https://example.com/a/x/feed.xml')).toBe('https://example.com/a/b/c.html');
    expect(resolveUrl('/root', 'https://example.com/a/')).toBe('https://example.com/root');
    expect(resolveUrl('//cdn.example.com/i.png', 'https://example.com/')).toBe('https://cdn.example.com/i.png');
    expect(resolveUrl('#frag', 'https://example.com/a')).toBe('https://example.com/a#frag');
  });

  it('keeps absolute http(s) URLs and trims whitespace around them', () => {
    expect(resolveUrl('  http://example.org/x \n', 'https://example.com/')).toBe('http://example.org/x');
    expect(resolveUrl('https://example.org/x', null)).toBe('https://example.org/x');
  });

  it('encodes non-ASCII paths and hosts the WHATWG way', () => {
    expect(resolveUrl('/خبر', 'https://example.ir/')).toBe('https://example.ir/%D8%AE%D8%A8%D8%B1');
  });

  it.each([
    ['javascript:alert(1)'],
    ['JaVaScRiPt:alert(1)'],
    ['java\tscript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['vbscript:msgbox(1)'],
    ['mailto:someone@example.com'],
    ['file:///etc/passwd'],
    ['ftp://example.com/file'],
  ])('refuses %s', (href) => {
    expect(resolveUrl(href, 'https://example.com/')).toBeNull();
  });

  it('gives null for empty input, a relative reference without base, or a broken base', () => {
    expect(resolveUrl(null, 'https://example.com/')).toBeNull();
    expect(resolveUrl(undefined, 'https://example.com/')).toBeNull();
    expect(resolveUrl('   ', 'https://example.com/')).toBeNull();
    expect(resolveUrl('/relative', null)).toBeNull();
    expect(resolveUrl('/relative', 'not a base')).toBeNull();
    expect(resolveUrl('http://[bad', null)).toBeNull();
  });

  it('never resolves onto a file: base', () => {
    expect(resolveUrl('page.html', 'file:///home/me/feed.xml')).toBeNull();
  });
});
