import { describe, expect, it } from 'vitest';
import { isHumanAgent, isHumanClick, referrerHost } from '../../src/shortlinks/humans.ts';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

const HUMAN_AGENTS = [
  CHROME,
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0',
  // In-app browsers are people reading.
  'Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36 Telegram-Android/10.8.1 (Samsung SM-A536B; Android 13; SDK 33; AVERAGE)',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.1;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36 Instagram 312.0.0.37.103 Android',
];

const BOT_AGENTS = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  'Slackbot 1.0 (+https://api.slack.com/robots)',
  'Twitterbot/1.0',
  'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0',
  'TelegramBot (like TwitterBot)',
  'WhatsApp/2.23.20.0 A',
  'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
  'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
  'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5',
  'http.rb/5.1.1 (Mastodon/4.2.0; +https://mastodon.social/)',
  'Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)',
  'Iframely/1.3.1 (+https://iframely.com/docs/about)',
  'Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)',
  'redditbot/1.0',
  'Mozilla/5.0 (compatible; vkShare; +http://vk.com/dev/Share)',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
  'curl/8.5.0',
  'python-requests/2.31.0',
  'Go-http-client/1.1',
  'Wget/1.21.4',
];

describe('isHumanAgent', () => {
  it.each(HUMAN_AGENTS)('a person: %s', (ua) => {
    expect(isHumanAgent(ua)).toBe(true);
  });

  it.each(BOT_AGENTS)('not a person: %s', (ua) => {
    expect(isHumanAgent(ua)).toBe(false);
  });

  it('an empty or absent user agent is not a person', () => {
    expect(isHumanAgent('')).toBe(false);
    expect(isHumanAgent(null)).toBe(false);
    expect(isHumanAgent(undefined)).toBe(false);
  });
});

describe('isHumanClick', () => {
  const headers = (extra: Record<string, string> = {}) => {
    const all = new Headers({ 'user-agent': CHROME, ...extra });
    return (name: string) => all.get(name);
  };

  it('counts a browser GET', () => {
    expect(isHumanClick('GET', headers())).toBe(true);
  });

  it('never counts HEAD', () => {
    expect(isHumanClick('HEAD', headers())).toBe(false);
  });

  it.each([
    ['sec-purpose', 'prefetch'],
    ['sec-purpose', 'prefetch;prerender'],
    ['purpose', 'prefetch'],
    ['x-purpose', 'preview'],
    ['x-moz', 'prefetch'],
  ])('does not count a speculative load (%s: %s)', (name, value) => {
    expect(isHumanClick('GET', headers({ [name]: value }))).toBe(false);
  });
});

describe('referrerHost', () => {
  it.each([
    ['https://t.me/chapar/12', 't.me'],
    ['https://WWW.Example.org:8443/a?b#c', 'www.example.org'],
    ['http://user@example.org/', 'example.org'],
    ['https://[2001:db8::1]/x', '[2001:db8::1]'],
    ['android-app://org.telegram.messenger/', ''],
    ['not a url', ''],
    ['', ''],
    [null, ''],
  ])('%s → %j', (referrer, host) => {
    expect(referrerHost(referrer)).toBe(host);
  });
});
