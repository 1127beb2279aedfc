import { escapeHtml, htmlToText, sanitizeHtml } from '../sanitize.ts';
import { attr, hasElementChildren, innerHtml, textOf } from './xml.ts';
import type { XmlElement } from './xml.ts';

/** What a text-bearing element holds, once its type is known: plain text or an HTML string. */
export interface Construct {
  kind: 'text' | 'html';
  value: string;
  /** Base URL for relative links inside `value`. */
  base: string | null;
}

/**
 * An Atom text construct (title, summary, content, rights…), 1.0 or 0.3:
 * `type` text/html/xhtml or a MIME type, 0.3's `mode` escaped/base64/xml.
 * Null for out-of-line (`src`) or binary content.
 */
export function atomConstruct(el: XmlElement | null): Construct | null {
  if (el === null || attr(el, 'src') !== null) return null;
  const kind = atomKind(attr(el, 'type'));
  if (kind === null) return null;
  const mode = attr(el, 'mode')?.trim().toLowerCase();
  const base = el.base;
  if (mode === 'base64') {
    const decoded = decodeBase64(textOf(el));
    return decoded === null ? null : { kind: kind === 'text' ? 'text' : 'html', value: decoded, base };
  }
  if (mode === 'escaped') return { kind: kind === 'text' ? 'text' : 'html', value: textOf(el), base };
  if (kind === 'xhtml') return { kind: 'html', value: xhtmlBody(el), base };
  // Markup inside a text or html construct is ill-formed, but its author meant it as markup.
  if (hasElementChildren(el)) return { kind: 'html', value: innerHtml(el), base };
  return { kind, value: textOf(el), base };
}

function atomKind(type: string | null): 'text' | 'html' | 'xhtml' | null {
  const t = (type ?? 'text').trim().toLowerCase().split(';')[0]?.trim() ?? '';
  if (t === '' || t === 'text' || t === 'text/plain') return 'text';
  if (t === 'html' || t === 'text/html') return 'html';
  if (t === 'xhtml' || t === 'application/xhtml+xml') return 'xhtml';
  if (t.startsWith('text/')) return 'text';
  if (t.endsWith('+xml') || t.endsWith('/xml')) return 'xhtml';
  return null;
}

/** Atom's xhtml wrapper div is dropped, unless it carries the writing direction. */
function xhtmlBody(el: XmlElement): string {
  const elements = el.children.filter((c): c is XmlElement => typeof c !== 'string');
  const onlyText = el.children.every((c) => typeof c !== 'string' || c.trim() === '');
  const wrapper = elements.length === 1 && onlyText ? elements[0] : undefined;
  if (wrapper && wrapper.local === 'div' && attr(wrapper, 'dir') === null) return innerHtml(wrapper);
  return innerHtml(el);
}

function decodeBase64(s: string): string | null {
  try {
    const binary = atob(s.replace(/\s+/g, ''));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/**
 * An RSS element that may hold HTML. RSS never says which: like feedparser, treat
 * it as HTML when it looks like HTML (a known tag or an entity reference), or
 * always when the element is HTML by definition (`content:encoded`).
 */
export function rssConstruct(el: XmlElement | null, alwaysHtml = false): Construct | null {
  if (el === null) return null;
  if (hasElementChildren(el)) return { kind: 'html', value: innerHtml(el), base: el.base };
  const value = textOf(el);
  return { kind: alwaysHtml || looksLikeHtml(value) ? 'html' : 'text', value, base: el.base };
}

/** Inline XHTML in an RSS item (`<xhtml:body>` or `<xhtml:div>`), as feedparser reads it. */
export function xhtmlConstruct(el: XmlElement | null): Construct | null {
  return el === null ? null : { kind: 'html', value: innerHtml(el), base: el.base };
}

const HTML_TAG =
  /<\/?(?:a|abbr|acronym|address|article|aside|audio|b|big|blockquote|br|caption|center|cite|code|dd|del|div|dl|dt|em|embed|figcaption|figure|font|h[1-6]|hr|i|iframe|img|ins|kbd|li|object|ol|p|pre|q|s|script|section|small|source|span|strike|strong|style|sub|sup|table|tbody|td|th|thead|tr|tt|u|ul|video)(?:\s[^>]*)?\/?>/i;
const ENTITY = /&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;

export function looksLikeHtml(s: string): boolean {
  return HTML_TAG.test(s) || ENTITY.test(s);
}

/** Sanitised HTML for a summary or content, or null when nothing is left. */
export function toHtml(c: Construct | null): string | null {
  if (c === null) return null;
  const html = c.kind === 'text' ? escapeHtml(c.value.trim()) : sanitizeHtml(c.value, c.base).trim();
  return html === '' ? null : html;
}

/** Plain text for a title, or null when nothing is left. */
export function toText(c: Construct | null): string | null {
  if (c === null) return null;
  const text = c.kind === 'text' ? c.value.replace(/\s+/g, ' ').trim() : htmlToText(c.value);
  return text === '' ? null : text;
}

/** First non-null construct among candidate elements, in order of preference. */
export function firstConstruct(...cs: (Construct | null)[]): Construct | null {
  for (const c of cs) if (c !== null && c.value.trim() !== '') return c;
  return null;
}
