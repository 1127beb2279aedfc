import { rfc3339 } from './dates.ts';
import { authorName, htmlToText, looksLikeHtml, nonEmpty } from './text.ts';
import type { RenderFeed, RenderItem } from './types.ts';
import { toUri } from './url.ts';

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1). Keys are written in a fixed order, absent values omitted. */
export function renderJsonFeed(feed: RenderFeed): string {
  const document = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: toUri(feed.htmlUrl),
    feed_url: toUri(feed.selfUrl),
    description: nonEmpty(feed.description) ?? undefined,
    icon: feed.iconUrl === null ? undefined : toUri(feed.iconUrl),
    language: nonEmpty(feed.language) ?? undefined,
    // JSON Feed 1.1 defines next_url only; first and previous reach JSON readers through the Link header.
    next_url: feed.nextUrl === null ? undefined : toUri(feed.nextUrl),
    hubs: feed.hubs.length === 0 ? undefined : feed.hubs.map((hub) => ({ type: 'WebSub', url: toUri(hub) })),
    items: feed.items.map(renderItem),
  };
  // JSON.stringify keeps Persian as UTF-8 and escapes lone surrogates, so the output is valid UTF-8.
  return JSON.stringify(document);
}

function renderItem(item: RenderItem) {
  const content = nonEmpty(item.contentHtml);
  const summary = nonEmpty(item.summary);
  const summaryText = summary === null ? null : nonEmpty(htmlToText(summary));
  // One of content_html and content_text is required: without content an HTML summary becomes
  // the HTML body, a plain one the text body, and the summary is not repeated.
  const html = content ?? (summary !== null && looksLikeHtml(summary) ? summary : null);
  const author = authorName(item.author);
  return {
    id: item.guid,
    url: toUri(item.link),
    title: nonEmpty(item.title) ?? undefined,
    content_html: html ?? undefined,
    content_text: html === null ? (summaryText ?? '') : undefined,
    summary: content === null ? undefined : (summaryText ?? undefined),
    date_published: rfc3339(item.published),
    date_modified: item.updated === null ? undefined : rfc3339(item.updated),
    authors: author === null ? undefined : [{ name: author }],
    tags: item.categories.length === 0 ? undefined : item.categories.map((category) => nonEmpty(category.label) ?? category.term),
    attachments: item.enclosures.length === 0
      ? undefined
      : item.enclosures.map((enclosure) => ({
          url: toUri(enclosure.url),
          mime_type: nonEmpty(enclosure.type) ?? 'application/octet-stream',
          size_in_bytes: enclosure.length !== null && enclosure.length > 0 ? Math.round(enclosure.length) : undefined,
        })),
  };
}
