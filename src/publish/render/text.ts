/**
 * Summaries arrive as plain text or sanitised HTML; each format wants one or the other.
 * These helpers convert between the two without a DOM (the Workers runtime has none).
 */
import { stripInvalidXml } from './xml.ts';

const TAG = /<\/?[a-zA-Z][^<>]*>/;
const ENTITY = /&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);/;

/** True when the text contains a tag or a character reference, i.e. it was meant as HTML. */
export function looksLikeHtml(value: string): boolean {
  return TAG.test(value) || ENTITY.test(value);
}

export function textToHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The named references sanitised HTML may still hold; any other is left as written. */
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00A0',
  zwnj: '\u200C',
  zwj: '\u200D',
  lrm: '\u200E',
  rlm: '\u200F',
};

function decodeEntities(value: string): string {
  return value.replace(/&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return NAMED[ref] ?? whole;
  });
}

const BLOCK_TAG = /<\/?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|tr|td|th|pre|figure|figcaption|hr)\b[^<>]*>/gi;

/** Visible text of an HTML fragment, whitespace collapsed; plain text comes back unchanged but trimmed. */
export function htmlToText(value: string): string {
  if (!looksLikeHtml(value)) return value.replace(/\s+/g, ' ').trim();
  const withoutMarkup = value
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(BLOCK_TAG, ' ')
    .replace(/<\/?[a-zA-Z][^<>]*>/g, '');
  return decodeEntities(withoutMarkup).replace(/\s+/g, ' ').trim();
}

/** Null for text that would be empty once written (nothing, whitespace, characters XML drops). */
export function nonEmpty(value: string | null): string | null {
  return value === null || stripInvalidXml(value).trim() === '' ? null : value;
}

const NAME_THEN_ADDRESS = /^(.*?)\s*<([^<>\s@]+@[^<>\s]+)>$/;
const ADDRESS_THEN_NAME = /^([^\s()<>@]+@[^\s()<>]+)\s*\((.*)\)$/;

/**
 * The display name of an author. Upstream feeds write "Name <mail@host>" or, as RSS 2.0 asks,
 * "mail@host (Name)"; we publish the name, or the bare address when there is no name
 * (Atom's validator rejects "<mail@host>" inside a name).
 */
export function authorName(value: string | null): string | null {
  const author = value?.trim() ?? '';
  const nameFirst = NAME_THEN_ADDRESS.exec(author);
  const addressFirst = ADDRESS_THEN_NAME.exec(author);
  const name = nameFirst?.[1] ?? addressFirst?.[2] ?? author;
  const address = nameFirst?.[2] ?? addressFirst?.[1] ?? '';
  return nonEmpty(name)?.trim() ?? nonEmpty(address);
}
