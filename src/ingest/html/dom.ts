/**
 * The HTML parser seam: htmlparser2 for the tree, css-select for selectors, domutils to
 * serialise. Chosen by measurement (bench/RESULTS.md, "HTML parser choice"): about twice
 * cheerio's and linkedom's throughput on our pages, the smallest Workers bundle, no node:
 * built-ins. Nothing else in Chapar touches the parser's types.
 */
import { compile, selectAll } from 'css-select';
import type { Options as SelectOptions } from 'css-select';
import type { AnyNode, Document, Element } from 'domhandler';
import { isTag, isText } from 'domhandler';
import { getInnerHTML } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { containsKey } from '../../core/persian.ts';
import { resolveUrl } from '../../core/urls.ts';

export type { Document, Element };

export interface Page {
  doc: Document;
  /** Where relative URLs on the page start from: `<base href>`, else the page's own URL. */
  base: string;
}

export function parsePage(html: string, url: string): Page {
  const doc = parseDocument(html);
  const baseHref = select(doc, 'base[href]')[0]?.attribs.href;
  return { doc, base: resolveUrl(baseHref, url) ?? url };
}

/** Text a reader sees: no script, style or template; block elements keep words apart. */
const HIDDEN = new Set(['script', 'style', 'template', 'noscript', 'head', 'title']);
const BLOCK = new Set(['br', 'p', 'div', 'li', 'ul', 'ol', 'tr', 'td', 'th', 'dd', 'dt', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'section', 'article', 'blockquote', 'figure', 'figcaption', 'hr']);

export function textOf(node: AnyNode | AnyNode[]): string {
  const parts: string[] = [];
  const walk = (n: AnyNode): void => {
    if (isText(n)) parts.push(n.data);
    else if (isTag(n)) {
      if (HIDDEN.has(n.name)) return;
      const block = BLOCK.has(n.name);
      if (block) parts.push(' ');
      n.children.forEach(walk);
      if (block) parts.push(' ');
    } else if ('children' in n) (n.children as AnyNode[]).forEach(walk);
  };
  (Array.isArray(node) ? node : [node]).forEach(walk);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/**
 * `:contains()` compares Persian-normalised text, so a preset's «آدرس کوتاه» also finds
 * «آدرس كوتاه» typed on an Arabic keyboard or decoded from windows-1256.
 */
const SELECT_OPTIONS: SelectOptions<AnyNode, Element> = {
  pseudos: { contains: (el: Element, needle?: string | null) => needle != null && containsKey(textOf(el), needle) },
};

/** A selector split into its CSS and the attribute to read (`time@datetime`), if any. */
export interface Query {
  css: string;
  attribute: string | null;
}

export function parseQuery(selector: string): Query {
  const match = /^(.*?)\s*@([A-Za-z_:][-A-Za-z0-9_:.]*)$/.exec(selector.trim());
  return match && match[1] !== '' ? { css: match[1]!, attribute: match[2]!.toLowerCase() } : { css: selector.trim(), attribute: null };
}

/** Why a selector cannot be used, or null when it can. */
export function selectorProblem(selector: string): string | null {
  const { css } = parseQuery(selector);
  if (css === '') return 'must not be empty';
  if (css.length > 1000) return 'must be at most 1000 characters';
  try {
    compile(css, SELECT_OPTIONS);
    return null;
  } catch (error) {
    return `is not a CSS selector Chapar can use (${error instanceof Error ? error.message : String(error)})`;
  }
}

export function select(root: AnyNode | AnyNode[], css: string): Element[] {
  return selectAll(css, root, SELECT_OPTIONS);
}

/** Matches that are not inside another match, so `div, div p` does not repeat the paragraph. */
export function outermost(elements: Element[]): Element[] {
  const set = new Set(elements);
  return elements.filter((el) => {
    for (let p = el.parent; p; p = p.parent) if (set.has(p as Element)) return false;
    return true;
  });
}

/** Matches with no other match inside them: the element that actually holds the text. */
export function innermost(elements: Element[]): Element[] {
  const inner = new Set(elements);
  for (const el of elements) for (let p = el.parent; p; p = p.parent) inner.delete(p as Element);
  return elements.filter((el) => inner.has(el));
}

export function innerHtml(el: Element): string {
  return getInnerHTML(el, { encodeEntities: 'utf8' });
}

const URL_ATTRIBUTES = ['href', 'src', 'poster'];
/** Where lazy-loading scripts keep the real image until it scrolls into view. */
const LAZY_SOURCES = ['data-src', 'data-lazy-src', 'data-original'];

/**
 * Makes the URLs inside `el` absolute against the page's base, which the sanitiser
 * cannot know (it only sees the article URL), and puts lazy images' real sources in `src`.
 */
export function absolutise(el: Element, base: string): void {
  for (const node of [el, ...select(el, '*')]) {
    if (node.name === 'img') {
      const lazy = LAZY_SOURCES.map((name) => node.attribs[name]).find((v) => v && v.trim() !== '');
      const src = node.attribs.src;
      if (lazy && (!src || /^\s*data:/i.test(src))) node.attribs.src = lazy;
    }
    for (const name of URL_ATTRIBUTES) {
      const value = node.attribs[name];
      if (value === undefined || /^\s*#/.test(value)) continue;
      const absolute = resolveUrl(value, base);
      if (absolute !== null) node.attribs[name] = absolute;
    }
  }
}

/** The value a query reads from an element: its attribute, or for `@`-less queries its text. */
export function valueOf(el: Element, query: Query): string {
  if (query.attribute !== null) return (el.attribs[query.attribute] ?? '').trim();
  return textOf(el);
}
