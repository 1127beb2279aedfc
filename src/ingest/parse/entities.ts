import sanitize from 'sanitize-html';

/**
 * Feed text made safe and well-formed enough for a strict XML parser:
 * no byte-order mark, no DOCTYPE (so no entity is ever expanded and no external
 * one read), HTML named entities as numeric references, bare `&` and a `<`
 * that starts no markup escaped.
 * CDATA sections and comments pass through untouched.
 */
export function prepareXml(text: string): string {
  const { rest, declared } = stripDoctype(text.replace(/^\uFEFF/, '').trimStart());
  const budget = { chars: MAX_EXPANSION };
  let out = '';
  let done = 0;
  let search = 0;
  for (;;) {
    const open = rest.indexOf('<!', search);
    if (open === -1) break;
    const close = rawSectionEnd(rest, open);
    search = open + 2;
    if (close === -1) continue;
    out += rewriteEntities(rest.slice(done, open), declared, budget) + rest.slice(open, close);
    done = search = close;
  }
  return out + rewriteEntities(rest.slice(done), declared, budget);
}

/** Where a CDATA section or comment starting at `open` ends (its whole length when unterminated), or -1. */
function rawSectionEnd(s: string, open: number): number {
  const ends = s.startsWith('<![CDATA[', open) ? ']]>' : s.startsWith('<!--', open) ? '-->' : null;
  if (ends === null) return -1;
  const end = s.indexOf(ends, open + 4);
  return end === -1 ? s.length : end + ends.length;
}

/** Entities a DOCTYPE may declare that we still honour: short literal text, nothing that refers to anything. */
const SAFE_ENTITY = /<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"&%<]{0,200})"|'([^'&%<]{0,200})')\s*>/g;
const MAX_DECLARED = 64;
/** Characters declared entities may add in all: a generous feed, never a billion laughs. */
const MAX_EXPANSION = 1_000_000;

function stripDoctype(text: string): { rest: string; declared: Map<string, string> } {
  const declared = new Map<string, string>();
  const start = findDoctype(text);
  if (start === -1) return { rest: text, declared };
  const end = doctypeEnd(text, start);
  const decl = text.slice(start, end);
  for (const m of decl.matchAll(SAFE_ENTITY)) {
    if (declared.size >= MAX_DECLARED) break;
    declared.set(m[1] ?? '', m[2] ?? m[3] ?? '');
  }
  return { rest: text.slice(0, start) + text.slice(end), declared };
}

/** The DOCTYPE's offset if it stands in the prolog (before the root element), else -1. */
function findDoctype(s: string): number {
  let at = 0;
  for (;;) {
    const lt = s.indexOf('<', at);
    if (lt === -1) return -1;
    if (s.startsWith('<?', lt)) at = endOf(s, '?>', lt);
    else if (s.startsWith('<!--', lt)) at = endOf(s, '-->', lt);
    else if (s.slice(lt, lt + 9).toUpperCase() === '<!DOCTYPE') return lt;
    else return -1;
  }
}

function endOf(s: string, token: string, from: number): number {
  const i = s.indexOf(token, from);
  return i === -1 ? s.length : i + token.length;
}

/** End of `<!DOCTYPE … [ internal subset ] >`, honouring quotes and the bracketed subset. */
function doctypeEnd(s: string, start: number): number {
  let quote: string | null = null;
  let inSubset = false;
  for (let i = start + 9; i < s.length; i++) {
    const c = s[i];
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') inSubset = true;
    else if (c === ']') inSubset = false;
    else if (c === '>' && !inSubset) return i + 1;
    else if (c === '<' && inSubset && s.startsWith('<!--', i)) i = endOf(s, '-->', i) - 1;
  }
  return s.length;
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

function rewriteEntities(s: string, declared: Map<string, string>, budget: { chars: number }): string {
  // A `<` that cannot start markup ("a < b") is text; escaping it keeps a loose reader from taking it for a tag.
  const text = s.replace(/<(?![\p{L}_:/!?])/gu, '&lt;');
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#([0-9]{1,12});|#[xX]([0-9a-fA-F]{1,10});|([A-Za-z_][\w.-]{0,63});)?/g, (ref, dec?: string, hex?: string, name?: string) => {
    if (dec !== undefined) return numericRef(parseInt(dec, 10));
    if (hex !== undefined) return numericRef(parseInt(hex, 16));
    if (name === undefined) return '&amp;';
    if (XML_ENTITIES.has(name)) return ref;
    const value = declared.get(name);
    if (value !== undefined && budget.chars >= value.length) {
      budget.chars -= value.length;
      return value.replace(/["']/g, (q) => (q === '"' ? '&quot;' : '&apos;'));
    }
    const decoded = htmlEntity(name);
    return decoded === null ? `&amp;${name};` : [...decoded].map((ch) => `&#${ch.codePointAt(0)};`).join('');
  });
}

/** Windows-1252 meanings of the C1 controls, as HTML5 (and every feed reader) reads `&#150;`. */
const WINDOWS_1252: Record<number, number> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
  0x88: 0x02c6, 0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018,
  0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc,
  0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a, 0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};

function numericRef(code: number): string {
  const cp = WINDOWS_1252[code] ?? code;
  const allowed =
    cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
  return `&#${allowed ? cp : 0xfffd};`;
}

const entityCache = new Map<string, string | null>();
const ENTITY_CACHE_LIMIT = 2048;
const TEXT_ONLY = { allowedTags: [], allowedAttributes: {} };

/**
 * The text an HTML5 named entity stands for, or null. sanitize-html (through
 * htmlparser2) carries the full HTML5 table; asking it keeps one table in the
 * project and needs no dependency of its own.
 */
export function htmlEntity(name: string): string | null {
  const cached = entityCache.get(name);
  if (cached !== undefined) return cached;
  const out = sanitize(`&${name};`, TEXT_ONLY);
  // Unknown names come back escaped; a legacy prefix (`&copyx;` → `©x;`) keeps its tail.
  const decoded = out === `&amp;${name};` || (out.includes(';') && !/^&(amp|lt|gt);$/.test(out)) ? null : unescapeBasic(out);
  if (entityCache.size >= ENTITY_CACHE_LIMIT) entityCache.clear();
  entityCache.set(name, decoded);
  return decoded;
}

function unescapeBasic(s: string): string {
  return s === '&amp;' ? '&' : s === '&lt;' ? '<' : s === '&gt;' ? '>' : s;
}
