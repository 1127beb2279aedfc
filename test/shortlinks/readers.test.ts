import { describe, expect, it } from 'vitest';
import { classifyFeedClient, productName } from '../../src/shortlinks/readers.ts';

describe('classifyFeedClient: hosted readers report their subscribers', () => {
  it.each([
    ['Feedly/1.0 (+http://www.feedly.com/fetcher.html; 123 subscribers; )', 'Feedly', 123, null],
    ['Feedly/1.0 (+https://feedly.com/poller.html; 16 subscribers; )', 'Feedly', 16, null],
    ['Mozilla/5.0 (compatible; Feedly/1.0; +http://www.feedly.com/fetcher.html; 1 subscriber)', 'Feedly', 1, null],
    ['Mozilla/5.0 (compatible; inoreader.com; 45 subscribers)', 'Inoreader', 45, null],
    ['NewsBlur Feed Fetcher - 12 subscribers - http://www.newsblur.com/site/123/chapar (Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_1) AppleWebKit/534.48.3 (KHTML, like Gecko) Version/5.1 Safari/534.48.3)', 'NewsBlur', 12, '123'],
    ['Feedbin feed-id:1234 - 56 subscribers', 'Feedbin', 56, '1234'],
    ['Mozilla/5.0 (compatible; theoldreader.com; 7 subscribers; feed-id=abc123)', 'The Old Reader', 7, 'abc123'],
    ['Mozilla/5.0 (compatible; BazQux/2.4; +https://bazqux.com/fetcher; 3 subscribers)', 'BazQux', 3, null],
    ['Netvibes (crawler/bot; http://www.netvibes.com; 7 subscribers; feedID: 1234)', 'Netvibes', 7, '1234'],
    ['Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 5 subscribers; feed-id=123456789)', 'Google Feedfetcher', 5, '123456789'],
    ['Mozilla/5.0 (compatible; SomeCloudReader/2.0; 9 readers)', 'SomeCloudReader', 9, null],
  ])('%s', (ua, name, subscribers, feedId) => {
    expect(classifyFeedClient(ua)).toEqual({ kind: 'hosted', name, subscribers, feedId });
  });

  it('a hosted reader that gives no count is still one hosted reader', () => {
    expect(classifyFeedClient('Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)')).toEqual({ kind: 'hosted', name: 'Feedly', subscribers: null, feedId: null });
  });
});

describe('classifyFeedClient: everyone else', () => {
  it.each([
    ['Mozilla/5.0 (compatible; Miniflux/2.1.0; +https://miniflux.app)', 'Miniflux'],
    ['FreshRSS/1.23.1 (Linux; https://freshrss.org)', 'FreshRSS'],
    ['Tiny Tiny RSS/21.01 (http://tt-rss.org/)', 'Tiny Tiny RSS'],
    ['NetNewsWire (RSS Reader; https://netnewswire.com/)', 'NetNewsWire'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.3.1', 'Thunderbird'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Reeder/5.0', 'Reeder'],
    ['curl/8.5.0', 'curl'],
    ['python-requests/2.31.0', 'python-requests'],
    ['Podcasts/1.0 CFNetwork/1494 Darwin/23.4.0', 'Podcasts'],
    ['', 'unknown'],
  ])('a client: %s', (ua, name) => {
    expect(classifyFeedClient(ua)).toEqual({ kind: 'client', name });
  });

  it.each([
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  ])('a browser: %s', (ua) => {
    expect(classifyFeedClient(ua)).toEqual({ kind: 'browser' });
  });

  it.each([
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    'Twitterbot/1.0',
    'W3C_Validator/1.3 http://validator.w3.org/services',
  ])('a crawler: %s', (ua) => {
    expect(classifyFeedClient(ua)).toEqual({ kind: 'crawler' });
  });

  it('names products from common user-agent shapes', () => {
    expect(productName('Mozilla/5.0 (compatible; Miniflux/2.1.0; +https://miniflux.app)')).toBe('Miniflux');
    expect(productName('Mozilla/5.0 (compatible; MyReader; +https://x)')).toBe('MyReader');
    expect(productName('Go-http-client/1.1')).toBe('Go-http-client');
    expect(productName('Lynx')).toBe('Lynx');
  });
});
