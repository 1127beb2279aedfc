/**
 * Who is polling a feed, from its User-Agent, for subscriber estimates the FeedPress way.
 * Pure: the recorder decides what to count from the answer.
 */
import { isbot } from 'isbot';
import { Memo } from './cache.ts';

export type FeedClient =
  /** A hosted reader fetching once for many people; `subscribers` null when it did not say. */
  | { kind: 'hosted'; name: string; subscribers: number | null; feedId: string | null }
  /** One person's reader, script or self-hosted aggregator: counts once per (IP, User-Agent). */
  | { kind: 'client'; name: string }
  /** Someone looking at the feed in a browser: not a subscription. */
  | { kind: 'browser' }
  /** A search engine, previewer or validator: not a subscription either. */
  | { kind: 'crawler' };

/** Hosted services that fetch one copy for all their users (and usually say how many). */
const HOSTED: readonly (readonly [RegExp, string])[] = [
  [/feedly/i, 'Feedly'],
  [/inoreader/i, 'Inoreader'],
  [/newsblur/i, 'NewsBlur'],
  [/feedbin/i, 'Feedbin'],
  [/theoldreader|the old reader/i, 'The Old Reader'],
  [/bazqux/i, 'BazQux'],
  [/netvibes/i, 'Netvibes'],
  [/feedfetcher-google/i, 'Google Feedfetcher'],
  [/feedspot/i, 'Feedspot'],
  [/feeder\.co/i, 'Feeder'],
  [/bloglovin/i, 'Bloglovin'],
  [/feedwrangler/i, 'Feed Wrangler'],
  [/feedhq/i, 'FeedHQ'],
  [/feedpress/i, 'FeedPress'],
  [/superfeedr/i, 'Superfeedr'],
];

/** Readers and tools people run for themselves, with their usual names. */
const KNOWN_CLIENTS: readonly (readonly [RegExp, string])[] = [
  [/miniflux/i, 'Miniflux'],
  [/freshrss/i, 'FreshRSS'],
  [/tiny tiny rss|tt-rss/i, 'Tiny Tiny RSS'],
  [/commafeed/i, 'CommaFeed'],
  [/netnewswire/i, 'NetNewsWire'],
  [/reeder/i, 'Reeder'],
  [/thunderbird/i, 'Thunderbird'],
  [/newsboat/i, 'Newsboat'],
  [/liferea/i, 'Liferea'],
  [/quiterss/i, 'QuiteRSS'],
  [/readkit/i, 'ReadKit'],
  [/fluent reader/i, 'Fluent Reader'],
  [/feeder\b/i, 'Feeder'],
];

const CRAWLERS = /googlebot|google-inspectiontool|bingbot|bingpreview|yandex|baiduspider|duckduckbot|applebot|slurp|ahrefs|semrush|mj12bot|petalbot|dotbot|seznambot|sogou|exabot|gptbot|chatgpt|oai-searchbot|claudebot|anthropic|ccbot|bytespider|amazonbot|perplexity|facebookexternalhit|facebot|twitterbot|slackbot|discordbot|telegrambot|whatsapp|linkedinbot|skypeuripreview|embedly|iframely|pinterest|redditbot|vkshare|bsky|validator|feedvalidator|uptimerobot|pingdom/i;

const BROWSER = /^Mozilla\/5\.0 \(.*(?:Chrome|Firefox|Safari|Edg|OPR|Version)\/\d/;

const COUNT = /\b(\d{1,9})\s*(?:subscribers?|readers?)\b/i;
const FEED_ID = /feed-?id\s*[:=]\s*([A-Za-z0-9_.-]{1,64})|newsblur\.com\/site\/(\d{1,20})/i;

const NOT_A_NAME = /^(?:Mozilla|AppleWebKit|Gecko|KHTML|Safari|Chrome|Version|Mobile|Firefox|like|compatible|Windows|Linux|Macintosh|X11|U|CFNetwork|Darwin)$/i;

/** A short product name for a user agent: «Miniflux», «curl», «Thunderbird». */
export function productName(userAgent: string): string {
  const known = KNOWN_CLIENTS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? HOSTED.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (known) return known;
  const compatible = /\(compatible;\s*([A-Za-z][\w .-]*?)\s*[/;)]/.exec(userAgent)?.[1];
  if (compatible && !NOT_A_NAME.test(compatible)) return compatible.slice(0, 64);
  const products = [...userAgent.matchAll(/([A-Za-z][\w.-]*)\/[\w.]+/g)].map((m) => m[1]!).filter((p) => !NOT_A_NAME.test(p));
  const lastProduct = products.at(-1);
  if (lastProduct) return lastProduct.slice(0, 64);
  return /^[A-Za-z][\w.-]*/.exec(userAgent)?.[0].slice(0, 64) ?? 'unknown';
}

// Readers poll with the same few User-Agent strings over and over: classify each once.
const verdicts = new Memo<string, Readonly<FeedClient>>(2000);
const frozen = (userAgent: string) => Object.freeze(classify(userAgent));

/** The kind of client behind a User-Agent; the same frozen answer for the same string. */
export function classifyFeedClient(userAgent: string | null | undefined): Readonly<FeedClient> {
  return verdicts.get((userAgent ?? '').slice(0, 1000), frozen);
}

function classify(ua: string): FeedClient {
  const hosted = HOSTED.find(([pattern]) => pattern.test(ua))?.[1];
  const count = COUNT.exec(ua)?.[1];
  if (hosted || count !== undefined) {
    const id = FEED_ID.exec(ua);
    return {
      kind: 'hosted',
      name: hosted ?? productName(ua),
      subscribers: count === undefined ? null : Number(count),
      feedId: id?.[1] ?? id?.[2] ?? null,
    };
  }
  if (CRAWLERS.test(ua)) return { kind: 'crawler' };
  if (BROWSER.test(ua) && !isbot(ua) && !KNOWN_CLIENTS.some(([pattern]) => pattern.test(ua))) return { kind: 'browser' };
  return { kind: 'client', name: ua ? productName(ua) : 'unknown' };
}
