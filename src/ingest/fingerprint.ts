/**
 * SHA-256 (hex) of a feed body without the parts that change on every request
 * (RSS `lastBuildDate` and a channel `pubDate`, Atom feed-level `updated`,
 * channel `dc:date`, comments such as cache generators'), so an unchanged 200
 * can skip the parse. Item data is never touched: a change there always shows.
 * JSON Feed has no such fields and is hashed as it is.
 */
export async function bodyFingerprint(text: string): Promise<string> {
  const stable = text.trimStart().startsWith('{') ? text : withoutVolatileXml(text);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(stable));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function withoutVolatileXml(text: string): string {
  const firstEntry = text.search(/<(?:[\w-]+:)?(?:item|entry)[\s>\/]/);
  const head = firstEntry === -1 ? text : text.slice(0, firstEntry);
  const rest = firstEntry === -1 ? '' : text.slice(firstEntry);
  const cleanHead = outsideCdata(head, (part) =>
    part.replace(/<((?:[\w-]+:)?(?:pubDate|updated|date|lastBuildDate))\b[^>]*>[^<]*<\/\1\s*>/g, ''),
  );
  // lastBuildDate is channel-only by spec, but some generators write it after the items.
  const cleanRest = outsideCdata(rest, (part) => part.replace(/<lastBuildDate\b[^>]*>[^<]*<\/lastBuildDate\s*>/g, ''));
  return outsideCdata(cleanHead + cleanRest, (part) => part.replace(/<!--[\s\S]*?-->/g, ''));
}

/** Applies `edit` to the text between CDATA sections, leaving their content as published. */
function outsideCdata(text: string, edit: (part: string) => string): string {
  return text
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part, i) => (i % 2 === 1 ? part : edit(part)))
    .join('');
}
