/**
 * A shortcut past sanitize-html for HTML too plain to need it: text without `&` or a stray `<`,
 * and bare, well-nested tags of a known harmless kind (`<p>`, `</p>`, `<br>`…) with no attributes.
 * Most pushed and fetched items look like that, and sanitize-html's parse costs several times
 * the rest of preparing them. For such input these functions return exactly what the
 * sanitize-html path returns (test/ingest/simple-html.test.ts checks it over arbitrary strings);
 * for anything else they return null and the caller takes the full path.
 */

/** A bare tag: `<p>`, `</p>`, `<br/>`, `<br />`. Anything with attributes or odd spacing is not simple. */
const TAG = /<(\/?)([a-z][a-z0-9]*)( ?\/)?>/y;

/** Void tags sanitize-html writes self-closed (its default `selfClosing`), both allowed in sanitize.ts. */
const VOID = new Set(['br', 'hr']);

/**
 * Tags allowed in sanitize.ts that need no attribute, are not void and play no part in
 * sanitize-html's special cases (images and media, raw-text and foreign elements).
 */
const CONTAINERS = new Set([
  'a', 'abbr', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'blockquote', 'caption', 'cite', 'code',
  'colgroup', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'h1', 'h2',
  'h3', 'h4', 'h5', 'h6', 'i', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's',
  'samp', 'section', 'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td',
  'tfoot', 'th', 'thead', 'time', 'tr', 'tt', 'u', 'ul', 'var',
]);

/**
 * htmlparser2's `openImpliesClose`, for the tags above: opening the key while one of these
 * is the innermost open element closes that one first. Input that would trigger it is not
 * simple (the output then differs from the input's nesting).
 */
const P = new Set(['p']);
const IMPLIES_CLOSE: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['li', new Set(['li'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ['rt', new Set(['rt', 'rp'])],
  ['rp', new Set(['rt', 'rp'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl',
    'figcaption', 'figure', 'hr', 'ol', 'pre', 'section', 'table', 'ul'].map((tag): [string, ReadonlySet<string>] => [tag, P]),
]);

/** Tags after which htmlToText puts a space (its BREAKING_TAG), by how they are written here. */
const BREAKING = new Set([
  'br', 'p', 'div', 'li', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'td', 'th', 'blockquote', 'pre',
  'section', 'article', 'figure', 'figcaption', 'ul', 'ol', 'table', 'hr',
]);
const BREAKING_CLOSE = new Set([...BREAKING].filter((tag) => tag !== 'br'));

/** Text between tags as sanitize-html writes it: with no `&` or `<` in it, only `>` changes. */
const escapeText = (text: string) => (text.includes('>') ? text.replaceAll('>', '&gt;') : text);

/** What `sanitizeHtml` in sanitize.ts returns for `html`, when `html` is simple; else null. */
export function sanitizeSimpleHtml(html: string): string | null {
  return readSimpleHtml(html)?.html ?? null;
}

/**
 * For simple `html`: what `sanitizeHtml` returns, and its text as `simpleHtmlText` gives it
 * (what htmlToText has before collapsing whitespace), from one reading; else null.
 */
export function readSimpleHtml(html: string): { html: string; text: string } | null {
  if (html.includes('&')) return null;
  const open: string[] = [];
  let out = '';
  let text = '';
  let at = 0;
  for (;;) {
    const lt = html.indexOf('<', at);
    const between = lt === -1 ? html.slice(at) : html.slice(at, lt);
    out += escapeText(between);
    text += between;
    if (lt === -1) return open.length === 0 ? { html: out, text } : null;
    TAG.lastIndex = lt;
    const tag = TAG.exec(html);
    if (tag === null) return null;
    const [, closing, name = '', selfClosing] = tag;
    const innermost = open[open.length - 1];
    if (closing) {
      if (selfClosing || name !== innermost) return null;
      open.pop();
      out += `</${name}>`;
      if (BREAKING_CLOSE.has(name)) text += ' ';
    } else if (VOID.has(name)) {
      if (innermost !== undefined && IMPLIES_CLOSE.get(name)?.has(innermost)) return null;
      out += `<${name} />`;
      if (BREAKING.has(name)) text += ' ';
    } else {
      if (selfClosing || !CONTAINERS.has(name)) return null;
      if (innermost !== undefined && IMPLIES_CLOSE.get(name)?.has(innermost)) return null;
      open.push(name);
      out += `<${name}>`;
      if (BREAKING.has(name)) text += ' ';
    }
    at = TAG.lastIndex;
  }
}

/**
 * What `htmlToText` in sanitize.ts has before collapsing whitespace (the tags gone, a space
 * where a tag breaks the line), when `html` is simple; else null. Nesting does not matter:
 * every tag is dropped and none of these drops its text.
 */
export function simpleHtmlText(html: string): string | null {
  if (html.includes('&')) return null;
  let out = '';
  let at = 0;
  for (;;) {
    const lt = html.indexOf('<', at);
    out += lt === -1 ? html.slice(at) : html.slice(at, lt);
    if (lt === -1) return out;
    TAG.lastIndex = lt;
    const tag = TAG.exec(html);
    if (tag === null) return null;
    const [, closing, name = '', selfClosing] = tag;
    if (closing) {
      if (selfClosing || !CONTAINERS.has(name)) return null;
      if (BREAKING_CLOSE.has(name)) out += ' ';
    } else {
      if (VOID.has(name) ? false : selfClosing || !CONTAINERS.has(name)) return null;
      if (BREAKING.has(name)) out += ' ';
    }
    at = TAG.lastIndex;
  }
}
