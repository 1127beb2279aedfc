/**
 * Builds FTS5 MATCH expressions from what a reader typed. Every word becomes a quoted string,
 * so FTS5 syntax (AND, OR, NEAR, column filters, `*`, `^`, parentheses) is only ever text.
 */
import { normaliseKey } from '../core/persian.ts';

/** More words than this add nothing to a feed search and only cost index lookups. */
export const MAX_SEARCH_WORDS = 16;

/** Words shorter than this match whole tokens only; longer ones also match as prefixes (کتاب → کتابها). */
const PREFIX_FROM = 3;

/**
 * A prefix standing for more index terms than this stays a prefix query: FTS5 opens one reader
 * per term of an OR, and past a few dozen that costs more than building the prefix's list.
 */
export const MAX_PREFIX_TERMS = 32;

const SEARCHABLE = /[\p{L}\p{N}]/u;

/**
 * Characters the index's tokenizer (unicode61, remove_diacritics 2) keeps as they are: a word
 * made only of them is itself the index term, so the terms it prefixes can be looked up by
 * its bytes. Checked against SQLite character by character in test/db/search-order.test.ts.
 */
const PLAIN_TERM = /^[a-z0-9\u0620-\u063f\u0641-\u064a\u0671-\u06d3\u06d5]+$/u;

/** The normalised words of a search, as the index saw its text; words without a letter or digit are dropped. */
export function searchWords(text: string): string[] {
  return normaliseKey(text)
    .split(' ')
    .filter((word) => SEARCHABLE.test(word))
    .slice(0, MAX_SEARCH_WORDS);
}

const quoted = (word: string) => `"${word.replaceAll('"', '""')}"`;
const isPrefix = (word: string) => [...word].length >= PREFIX_FROM;

/** The words of a search whose prefix match could be spelled out as the index terms it covers. */
export function expandableWords(text: string): string[] {
  return searchWords(text).filter((word) => isPrefix(word) && PLAIN_TERM.test(word));
}

/**
 * An FTS5 query matching items that hold every word, or null when nothing in the text is
 * searchable. `longer` lists, for a word, the index terms that start with it and are longer:
 * that word is then asked as `("word" OR "term" …)`, which FTS5 reads lazily, newest rowid
 * first, where `"word"*` makes it collect every match of the prefix before the first row.
 */
export function ftsQuery(text: string, longer?: ReadonlyMap<string, readonly string[]>): string | null {
  const words = searchWords(text);
  if (words.length === 0) return null;
  return words
    .map((word) => {
      if (!isPrefix(word)) return quoted(word);
      const terms = longer?.get(word);
      if (!terms || terms.length >= MAX_PREFIX_TERMS) return `${quoted(word)}*`;
      return terms.length === 0 ? quoted(word) : `(${[word, ...terms].map(quoted).join(' OR ')})`;
    })
    // FTS5 reads a bare space as AND only between phrases, not beside a parenthesised OR.
    .join(longer ? ' AND ' : ' ');
}
