import sanitize from 'sanitize-html';
import type { IOptions } from 'sanitize-html';
import { collapseSpaces } from '../core/persian.ts';
import { resolveUrl } from '../core/urls.ts';
import { readSimpleHtml, sanitizeSimpleHtml, simpleHtmlText } from './simple-html.ts';

/**
 * Upstream HTML made safe to republish. Everything not listed is dropped, so
 * script, style, iframe, object, embed, form, input, svg and math never pass;
 * the contents of the active ones are dropped too, the text of the rest kept.
 */
const ALLOWED_TAGS = [
  'a', 'abbr', 'address', 'article', 'aside', 'audio', 'b', 'bdi', 'bdo', 'blockquote', 'br',
  'caption', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt',
  'em', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd',
  'li', 'mark', 'ol', 'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section', 'small',
  'source', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot',
  'th', 'thead', 'time', 'tr', 'tt', 'u', 'ul', 'var', 'video', 'wbr',
];

/**
 * Disallowed tags whose content is code, styling or form state, never article text.
 * Other disallowed tags (iframe, object, noscript…) lose the tag and keep their
 * text: an unclosed `<object>` must not swallow the rest of the article, and
 * `<noscript>` often holds the real image of a lazy-loaded one.
 */
const DROPPED_WITH_CONTENT = ['script', 'style', 'textarea', 'option', 'select', 'template', 'svg', 'xmp'];

const URL_ATTRIBUTES = ['href', 'src', 'cite', 'poster'];

const CELL = ['colspan', 'rowspan', 'align'];

const OPTIONS: IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    // `dir` values are checked in transformTags: sanitize-html checks values only per tag.
    '*': ['dir', 'lang', 'title'],
    a: ['href'],
    img: ['src', 'alt', 'width', 'height'],
    video: ['src', 'poster', 'controls', 'width', 'height'],
    audio: ['src', 'controls'],
    source: ['src', 'type'],
    td: CELL,
    th: [...CELL, 'scope'],
    ol: ['start', 'reversed', 'type'],
    li: ['value'],
    time: ['datetime'],
    blockquote: ['cite'],
    q: ['cite'],
    del: ['cite', 'datetime'],
    ins: ['cite', 'datetime'],
  },
  nonTextTags: DROPPED_WITH_CONTENT,
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'], video: ['http', 'https'], audio: ['http', 'https'], source: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: URL_ATTRIBUTES,
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // An image without a source, or a 1×1 tracking pixel, shows nothing to a reader.
  exclusiveFilter: (frame) =>
    frame.tag === 'img' && (!frame.attribs.src || (isTiny(frame.attribs.width) && isTiny(frame.attribs.height))),
};

function isTiny(size: string | undefined): boolean {
  return size !== undefined && /^\s*[01](px)?\s*$/i.test(size);
}

const DIRECTIONS = new Set(['rtl', 'ltr', 'auto']);

/** Makes URLs absolute (dropping those that cannot be) and keeps only real writing directions. */
function transform(base: string | null): sanitize.Transformer {
  return (tagName, attribs) => {
    const out: sanitize.Attributes = { ...attribs };
    if (out.dir !== undefined) {
      const dir = out.dir.trim().toLowerCase();
      if (DIRECTIONS.has(dir)) out.dir = dir;
      else delete out.dir;
    }
    for (const name of URL_ATTRIBUTES) {
      const value = out[name];
      if (value === undefined) continue;
      const keepMailto = tagName === 'a' && /^\s*mailto:/i.test(value);
      const absolute = keepMailto ? value.trim() : resolveUrl(value, base);
      if (absolute === null) delete out[name];
      else out[name] = absolute;
    }
    return { tagName, attribs: out };
  };
}

/**
 * Safe HTML with every href/src absolute against `baseUrl` (a URL that cannot be
 * made absolute http(s) is dropped, as is every data:, javascript: or vbscript: URL).
 * Links get no rel/target: the stored HTML stays close to the source, and pages
 * that render it decide how links open. May return '' (callers store null then).
 */
export function sanitizeHtml(html: string, baseUrl: string | null): string {
  return sanitizeSimpleHtml(html) ?? sanitizeHtmlFully(html, baseUrl);
}

/** sanitizeHtml without the shortcut for plain HTML (simple-html.ts): sanitize-html on any input. */
export function sanitizeHtmlFully(html: string, baseUrl: string | null): string {
  return sanitize(html, { ...OPTIONS, transformTags: { '*': transform(baseUrl) } });
}

/**
 * `sanitizeHtml(html, baseUrl).trim()` and its `htmlToText`, as an item stores them: for
 * simple HTML both come from one reading of it (simple-html.ts), not a second one of the output.
 */
export function sanitizeHtmlAndText(html: string, baseUrl: string | null): { html: string; text: string } {
  const simple = readSimpleHtml(html);
  if (simple !== null) return { html: simple.html.trim(), text: collapse(simple.text) };
  const out = sanitizeHtmlFully(html, baseUrl).trim();
  return { html: out, text: htmlToText(out) };
}

const TEXT_ONLY: IOptions = { allowedTags: [], allowedAttributes: {}, nonTextTags: DROPPED_WITH_CONTENT };

/** Tags after which a reader sees a break, so words on either side must not run together. */
const BREAKING_TAG = /<(?:br|\/?(?:p|div|li|dt|dd|h[1-6]|tr|td|th|blockquote|pre|section|article|figure|figcaption|ul|ol|table|hr))\b/gi;

/** Plain text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  return collapse(simpleHtmlText(html) ?? decodeBasicEntities(sanitize(html.replace(BREAKING_TAG, ' $&'), TEXT_ONLY)));
}

/** htmlToText without the shortcut for plain HTML (simple-html.ts). */
export function htmlToTextFully(html: string): string {
  return collapse(decodeBasicEntities(sanitize(html.replace(BREAKING_TAG, ' $&'), TEXT_ONLY)));
}

const collapse = (text: string) => collapseSpaces(text).trim();

/** Text made safe to place in HTML content or an attribute value. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** sanitize-html's text output escapes only these; everything else is already decoded. */
function decodeBasicEntities(s: string): string {
  return s.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => BASIC[name] ?? '');
}

const BASIC: Record<string, string> = { lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' };
