/**
 * Builds FTS5 MATCH expressions from what a reader typed. Every word becomes a quoted string,
 * so FTS5 syntax (AND, OR, NEAR, column filters, `*`, `^`, parentheses) is only ever text.
 */
import { normaliseKey } from '../core/persian.ts';

/** More words than this add nothing to a feed search and only cost index lookups. */
export const MAX_SEARCH_WORDS = 16;

/** Words shorter than this match whole tokens only; longer ones also match as prefixes (کتاب → کتابها). */
const PREFIX_FROM = 3;

const SEARCHABLE = /[\p{L}\p{N}]/u;

/** The normalised words of a search, as the index saw its text; words without a letter or digit are dropped. */
export function searchWords(text: string): string[] {
  return normaliseKey(text)
    .split(' ')
    .filter((word) => SEARCHABLE.test(word))
    .slice(0, MAX_SEARCH_WORDS);
}

/** An FTS5 query matching items that hold every word, or null when nothing in the text is searchable. */
export function ftsQuery(text: string): string | null {
  const words = searchWords(text);
  if (words.length === 0) return null;
  return words.map((word) => `"${word.replaceAll('"', '""')}"${[...word].length >= PREFIX_FROM ? '*' : ''}`).join(' ');
}
