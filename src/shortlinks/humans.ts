/**
 * Whether a request to a short link is a person clicking it. Bots, link expanders
 * (chat and social previews), mail scanners and browser prefetches are not.
 */
import { isbot } from 'isbot';
import { Memo } from './cache.ts';

/**
 * Previewers and checkers, named even where isbot knows them so a change in its list cannot
 * start counting them. In-app browsers (Telegram-Android, FBAN, Instagram) are people.
 */
const PREVIEWERS = /Microsoft Office|MSOffice|ms-office|SkypeUriPreview|Google-Safety|Mastodon\/|Pleroma|Akkoma|Misskey|Bluesky|Iframely|Embedly|vkShare|Slackbot|Slack-ImgProxy|Discordbot|TelegramBot|^WhatsApp\/|Twitterbot|facebookexternalhit|Facebot|LinkedInBot|redditbot|Pinterestbot/i;

/** `Sec-Purpose: prefetch;prerender`, `Purpose: prefetch`, `X-Purpose: preview`, `X-Moz: prefetch`. */
const SPECULATIVE = /prefetch|prerender|preview/i;
const PURPOSE_HEADERS = ['sec-purpose', 'purpose', 'x-purpose', 'x-moz'] as const;

// The same few user agents click most links: remember the verdict instead of rerunning the big regex.
const verdicts = new Memo<string, boolean>(2000);
const judge = (userAgent: string) => !isbot(userAgent) && !PREVIEWERS.test(userAgent);

export function isHumanAgent(userAgent: string | null | undefined): boolean {
  if (!userAgent || userAgent.length > 1000) return false;
  return verdicts.get(userAgent, judge);
}

/** A request header by lower-case name; null or undefined when absent. */
export type HeaderReader = (name: string) => string | null | undefined;

/** A click worth counting: a GET from a person's browser, not a HEAD, a bot or a prefetch. */
export function isHumanClick(method: string, headers: HeaderReader): boolean {
  if (method !== 'GET') return false;
  for (const name of PURPOSE_HEADERS) {
    const value = headers(name);
    if (value != null && SPECULATIVE.test(value)) return false;
  }
  return isHumanAgent(headers('user-agent'));
}

/** The referring page's host, lower case; '' when there is none or it is not a web URL. */
export function referrerHost(referrer: string | null | undefined): string {
  if (!referrer) return '';
  const match = /^https?:\/\/(?:[^@/?#]*@)?(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d*)?(?:[/?#]|$)/i.exec(referrer);
  const host = match?.[1]?.toLowerCase() ?? '';
  return host.length <= 253 ? host : '';
}
