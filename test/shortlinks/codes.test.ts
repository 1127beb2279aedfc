import { describe, expect, it } from 'vitest';
import { codeProblem, locationFor, targetProblem } from '../../src/shortlinks/codes.ts';

describe('codeProblem', () => {
  it.each(['abc', 'A-b_9', '3643', 'x'.repeat(64), 'apis', 'feed'])('accepts %s', (code) => {
    expect(codeProblem(code)).toBeNull();
  });

  it.each(['', 'x'.repeat(65), 'a b', 'a/b', 'a.b', 'خبر', 'a%20', 'a\nb', '../x'])('refuses the malformed %j', (code) => {
    expect(codeProblem(code)).toMatch(/must be 1-64/);
  });

  it.each(['api', 'API', 'admin', 'feeds', 'Items', 's', 'S', 'healthz', 'opml', 'metrics', 'static'])('refuses the reserved word %s, in any case', (code) => {
    expect(codeProblem(code)).toMatch(/reserved/);
  });
});

describe('targetProblem', () => {
  it.each([
    'https://example.org',
    'http://example.org/a?b=c#d',
    'https://news.example/fa/خبر?id=1',
    'https://example.org/a%20b',
    `https://example.org/${'a'.repeat(2048 - 'https://example.org/'.length)}`,
  ])('accepts %s', (url) => {
    expect(targetProblem(url)).toBeNull();
  });

  it.each([
    ['javascript:alert(1)', /http or https/],
    ['JavaScript:alert(1)//https://x', /http or https/],
    ['data:text/html,<script>alert(1)</script>', /http or https/],
    ['ftp://example.org/file', /http or https/],
    ['file:///etc/passwd', /http or https/],
    ['mailto:a@example.org', /http or https/],
    ['//example.org/x', /absolute/],
    ['/relative', /absolute/],
    ['example.org', /absolute/],
    ['https:example.org', /absolute/],
    ['https:/\\evil.example', /absolute/],
    ['https://example.org/a b', /spaces or control/],
    [' https://example.org', /spaces or control/],
    ['https://example.org/\t', /spaces or control/],
    ['https://example.org/\r\nSet-Cookie: a=b', /spaces or control/],
    ['https://example.org/\n', /spaces or control/],
    ['https://example.org/\u0000', /spaces or control/],
    ['https://example.org/\u0085', /spaces or control/],
    ['https://example.org/\u2028', /spaces or control/],
    ['https://example.org/\u00a0', /spaces or control/],
    ['https://bank.example@evil.example/', /user name or password/],
    ['https://user:pw@example.org/', /user name or password/],
    [`https://example.org/${'a'.repeat(2049 - 'https://example.org/'.length)}`, /at most 2048/],
    ['', /empty/],
    ['https://', /absolute/],
  ])('refuses %j', (url, message) => {
    expect(targetProblem(url)).toMatch(message);
  });
});

describe('locationFor', () => {
  it('keeps a plain ASCII URL byte for byte', () => {
    for (const url of ['https://example.org', 'https://Example.org/A/../b?q=%7E&x=1#frag', 'http://example.org:8080/a%2Fb']) {
      expect(locationFor(url)).toBe(url);
    }
  });

  it('percent-encodes non-ASCII paths and queries, and punycodes hosts', () => {
    expect(locationFor('https://news.example/fa/خبر?id=1&q=سلام')).toBe('https://news.example/fa/%D8%AE%D8%A8%D8%B1?id=1&q=%D8%B3%D9%84%D8%A7%D9%85');
    expect(locationFor('https://مثال.ایران/')).toBe('https://xn--mgbh0fb.xn--mgba3a4f16a/');
  });

  it('never yields CR, LF or anything a header cannot carry', () => {
    for (const url of ['https://example.org/\r\nSet-Cookie: a=b', 'https://example.org/a b', 'https://example.org/?a\\b', 'https://example.org/\u0000']) {
      const location = locationFor(url);
      expect(location === null || /^[\x21-\x5b\x5d-\x7e]+$/.test(location)).toBe(true);
    }
  });

  it.each(['javascript:alert(1)', 'data:,x', 'ftp://example.org/', 'not a url', '/items/1', 'https://example.org/\r\nSet-Cookie: a=b', 'https://example.org/\t'])('refuses %j', (url) => {
    expect(locationFor(url)).toBeNull();
  });
});
