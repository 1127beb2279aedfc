import type { ParseDateOptions } from '../core/dates.ts';
import type { ParsedFeed } from '../core/types.ts';
import { resolveUrl } from '../core/urls.ts';
import { parseAtom } from './parse/atom.ts';
import { parseJsonFeed } from './parse/json.ts';
import { atomLinks } from './parse/links.ts';
import { prepareXml } from './parse/entities.ts';
import { parseRss } from './parse/rss.ts';
import { assignScope, child, parseXml, textOf } from './parse/xml.ts';
import type { XmlElement } from './parse/xml.ts';

export type ParseOptions = ParseDateOptions;

/**
 * The one parser seam: feed text (already decoded) to a ParsedFeed.
 * RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 0.3/1.0 and JSON Feed 1.0/1.1.
 * `baseUrl` is where the document lives; relative URLs resolve against xml:base,
 * then it. When it is not http(s) (a local file), the feed's own absolute
 * self link, else its home link, stands in for it.
 * Rejects only with `Error('parse: …')`.
 */
export async function parseFeed(text: string, baseUrl: string, opts: ParseOptions = {}): Promise<ParsedFeed> {
  try {
    return parseDocument(text, baseUrl, opts);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('parse:')) throw e;
    throw new Error(`parse: could not read the feed (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
}

function parseDocument(text: string, baseUrl: string, opts: ParseOptions): ParsedFeed {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body === '') throw new Error('parse: the document is empty');
  if (body.startsWith('{')) return parseJsonFeed(body, baseUrl, opts);
  const root = parseXml(prepareXml(body));
  if (root === null) throw new Error('parse: unable to detect feed format (no XML element found)');
  const format = detectFormat(root);
  assignScope(root, documentBase(root, baseUrl));
  return format === 'atom' ? parseAtom(root, opts) : parseRss(root, format, opts);
}

function detectFormat(root: XmlElement): 'rss' | 'rdf' | 'atom' {
  if (root.local === 'rss' || (root.local === 'channel' && root.ns === '')) return 'rss';
  if (root.local === 'rdf' && root.ns === 'rdf') return 'rdf';
  if (root.local === 'feed') return 'atom';
  const hint = root.local === 'html' ? ': this is an HTML page, not a feed' : '';
  throw new Error(`parse: unable to detect feed format (root element <${root.name}>${hint})`);
}

/** Where relative URLs start from: the document's http(s) location, else the location the feed claims. */
function documentBase(root: XmlElement, baseUrl: string): string | null {
  const given = resolveUrl(baseUrl, null);
  if (given !== null) return given;
  const channel = child(root, '', 'channel') ?? root;
  const links = atomLinks(channel, ['atom', '']);
  const rssLink = child(channel, '', 'link');
  const claimed = [links.self?.href, links.alternate?.href, rssLink && textOf(rssLink)];
  for (const href of claimed) {
    const url = resolveUrl(href, null);
    if (url !== null) return url;
  }
  return /^file:/i.test(baseUrl) ? baseUrl : null;
}
