import sax from 'sax';
import type { SAXParser, Tag } from 'sax';
import { ValidationError } from '../../core/errors.ts';
import { escapeHtml } from '../sanitize.ts';

/**
 * A small namespace-aware XML tree, built with sax (the parser under xml2js and
 * rss-parser). Namespaces are folded to short keys (`''` for none and for the
 * RSS namespaces, `atom`, `dc`, `content`, …), local names are lowercased, and
 * every element knows the xml:base and xml:lang in scope.
 */
export interface XmlElement {
  name: string;
  /** Local name, lowercased. */
  local: string;
  /** Namespace key, see NAMESPACES. */
  ns: string;
  attrs: XmlAttribute[];
  children: XmlNode[];
  parent: XmlElement | null;
  /** The absolute base URL in scope (xml:base over the document's), set by assignScope. */
  base: string | null;
  /** xml:lang in scope. */
  lang: string | null;
}

export interface XmlAttribute {
  local: string;
  ns: string;
  value: string;
}

export type XmlNode = XmlElement | string;

const NAMESPACES: Record<string, string> = {
  'http://www.w3.org/2005/atom': 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
  'http://backend.userland.com/rss2': '',
  'http://backend.userland.com/rss': '',
  'http://blogs.law.harvard.edu/tech/rss': '',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/elements/1.0/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://www.w3.org/xml/1998/namespace': 'xml',
  'http://rssnamespace.org/feedburner/ext/1.0': 'feedburner',
};

/** Prefixes feeds use without declaring them, as feedparser reads them. */
const CONVENTIONAL_PREFIXES = new Set(['atom', 'dc', 'dcterms', 'content', 'rdf', 'media', 'itunes', 'xhtml', 'xml', 'feedburner']);

function namespaceKey(uri: string, prefix: string): string {
  if (uri === '') {
    const p = prefix.toLowerCase();
    return p === '' ? '' : CONVENTIONAL_PREFIXES.has(p) ? p : `${p}:`;
  }
  const lower = uri.toLowerCase();
  return NAMESPACES[lower] ?? NAMESPACES[lower.replace(/^https:/, 'http:')] ?? lower;
}

/**
 * How deep elements may nest. Real feeds stay under 20; the tree is walked
 * recursively (textOf, innerHtml), so a deeper document is refused rather than
 * trimmed, before it can exhaust the stack or the reader's patience.
 */
export const MAX_XML_DEPTH = 256;

/**
 * A document nested deeper than MAX_XML_DEPTH. A ValidationError, so an OPML
 * upload answers 422; its message starts with `parse:` like every parse failure.
 */
export class XmlDepthError extends ValidationError {
  override name = 'XmlDepthError';
  constructor() {
    const message = `parse: elements nest deeper than ${MAX_XML_DEPTH} levels (the limit, MAX_XML_DEPTH); the document was not read`;
    super(message, [{ field: '(body)', message }]);
  }
}

/**
 * The document's root element, or null when there is none. Well-formed XML is
 * read strictly; anything else is read again in sax's loose mode, as feedparser
 * falls back to its loose parser. Undeclared prefixes are forgiven in both.
 * Throws XmlDepthError, without a second reading, when elements nest too deep.
 */
export function parseXml(text: string): XmlElement | null {
  return build(text, true) ?? build(text, false);
}

/** The tree, or null when strict reading hit an error (loose reading never gives up). */
function build(text: string, strict: boolean): XmlElement | null {
  // sax's own namespace mode checks duplicate attributes in quadratic time; scopes are kept here instead.
  const parser = sax.parser(strict, { lowercase: true, trim: false, normalize: false });
  let root: XmlElement | null = null;
  const stack: XmlElement[] = [];
  const scopes: Scope[] = [];
  let skipped = 0;
  let failed = false;

  parser.onopentag = (tag) => {
    if (stack.length === 0 && root !== null) {
      skipped++;
      return;
    }
    // Thrown through sax's write, so reading stops at the first element too deep.
    if (stack.length >= MAX_XML_DEPTH) throw new XmlDepthError();
    const parent = stack[stack.length - 1] ?? null;
    const scope = openScope(tag.attributes, scopes[scopes.length - 1] ?? ROOT_SCOPE);
    const el = toElement(tag, scope, parent);
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
    scopes.push(scope);
  };
  parser.onclosetag = () => {
    if (skipped > 0) {
      skipped--;
      return;
    }
    stack.pop();
    scopes.pop();
  };
  parser.ontext = parser.oncdata = (t) => {
    const el = stack[stack.length - 1];
    if (!el) return;
    const last = el.children.length - 1;
    const prev = el.children[last];
    if (typeof prev === 'string') el.children[last] = prev + t;
    else el.children.push(t);
  };
  parser.onerror = () => {
    if (strict) failed = true;
    parser.error = null;
    parser.resume();
  };
  try {
    write(parser, text, () => failed);
  } catch (error) {
    if (error instanceof XmlDepthError) throw error;
    failed = true;
  }
  return strict && failed ? null : root;
}

/** Feeds the parser in slices so a strict read stops soon after its first error. */
function write(parser: SAXParser, text: string, failed: () => boolean): void {
  const SLICE = 64 * 1024;
  for (let at = 0; at < text.length && !failed(); at += SLICE) parser.write(text.slice(at, at + SLICE));
  if (!failed()) parser.close();
}

/** Prefix → namespace URI in scope; '' is the default namespace. */
type Scope = ReadonlyMap<string, string>;

const ROOT_SCOPE: Scope = new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);

function openScope(attributes: Record<string, string>, parent: Scope): Scope {
  let scope: Map<string, string> | null = null;
  for (const [name, value] of Object.entries(attributes)) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    scope ??= new Map(parent);
    scope.set(name === 'xmlns' ? '' : name.slice(6), value.trim());
  }
  return scope ?? parent;
}

function splitName(name: string): { prefix: string; local: string } {
  const colon = name.indexOf(':');
  return colon === -1 ? { prefix: '', local: name } : { prefix: name.slice(0, colon), local: name.slice(colon + 1) };
}

function toElement(tag: Tag, scope: Scope, parent: XmlElement | null): XmlElement {
  const { prefix, local } = splitName(tag.name);
  const attrs: XmlAttribute[] = [];
  for (const [name, value] of Object.entries(tag.attributes)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const a = splitName(name);
    // Unprefixed attributes are in no namespace, whatever the default namespace is.
    attrs.push({ local: a.local.toLowerCase(), ns: a.prefix === '' ? '' : namespaceKey(scope.get(a.prefix) ?? '', a.prefix), value });
  }
  return {
    name: tag.name,
    local: local.toLowerCase(),
    ns: namespaceKey(scope.get(prefix) ?? '', prefix),
    attrs,
    children: [],
    parent,
    base: null,
    lang: null,
  };
}

/**
 * Sets every element's base and lang: xml:base resolved against the parent's
 * base (the document's URL at the root), xml:lang inherited. A base that is not
 * http(s) or file (`javascript:`…) is ignored, as feedparser does.
 */
export function assignScope(root: XmlElement, documentBase: string | null): void {
  const pending: XmlElement[] = [root];
  for (let el = pending.pop(); el; el = pending.pop()) {
    const parentBase = el.parent ? el.parent.base : documentBase;
    el.base = resolveBase(attr(el, 'base', 'xml'), parentBase) ?? parentBase;
    el.lang = attr(el, 'lang', 'xml')?.trim() || (el.parent ? el.parent.lang : null);
    for (const child of el.children) if (typeof child !== 'string') pending.push(child);
  }
}

function resolveBase(href: string | null, parent: string | null): string | null {
  if (href === null || href.trim() === '') return null;
  try {
    const url = parent ? new URL(href.trim(), parent) : new URL(href.trim());
    return ['http:', 'https:', 'file:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** Does `el` have this local name in one of these namespaces? */
export function is(el: XmlElement, ns: string | readonly string[], local: string): boolean {
  return el.local === local && (typeof ns === 'string' ? el.ns === ns : ns.includes(el.ns));
}

export function children(el: XmlElement, ns: string | readonly string[], local: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && is(c, ns, local));
}

export function child(el: XmlElement, ns: string | readonly string[], local: string): XmlElement | null {
  for (const c of el.children) if (typeof c !== 'string' && is(c, ns, local)) return c;
  return null;
}

/** An attribute's value; `ns` '' means an unprefixed attribute. */
export function attr(el: XmlElement, local: string, ns = ''): string | null {
  for (const a of el.attrs) if (a.local === local && a.ns === ns) return a.value;
  return null;
}

/** All the text inside `el`, markup ignored. */
export function textOf(el: XmlElement): string {
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : textOf(c);
  return out;
}

/** `el`'s own text, or null when it is missing or blank. */
export function trimmedText(el: XmlElement | null): string | null {
  if (el === null) return null;
  const text = textOf(el).trim();
  return text === '' ? null : text;
}

export function hasElementChildren(el: XmlElement): boolean {
  return el.children.some((c) => typeof c !== 'string');
}

const VOID = new Set(['area', 'br', 'col', 'embed', 'hr', 'img', 'input', 'source', 'track', 'wbr']);
const URL_ATTRS = new Set(['href', 'src', 'cite', 'poster', 'longdesc', 'background']);

/**
 * Inline markup (Atom xhtml, or HTML a feed forgot to escape) as an HTML string:
 * prefixes dropped, URLs made absolute against each element's own base.
 */
export function innerHtml(el: XmlElement): string {
  return el.children.map(serialize).join('');
}

function serialize(node: XmlNode): string {
  if (typeof node === 'string') return escapeHtml(node);
  let attrs = '';
  for (const a of node.attrs) {
    const name = a.ns === '' ? a.local : a.ns === 'xml' && a.local === 'lang' ? 'lang' : null;
    if (name === null) continue;
    const value = URL_ATTRS.has(name) ? absolute(a.value, node.base) : a.value;
    attrs += ` ${name}="${escapeHtml(value)}"`;
  }
  if (VOID.has(node.local)) return `<${node.local}${attrs}>`;
  return `<${node.local}${attrs}>${innerHtml(node)}</${node.local}>`;
}

function absolute(href: string, base: string | null): string {
  if (base === null) return href;
  try {
    return new URL(href.trim(), base).href;
  } catch {
    return href;
  }
}
