/**
 * OPML 2.0 import and export of sources with their categories, as feed readers exchange them.
 *
 * Export puts each source in a folder named after its first category and lists all its
 * categories' slugs in the OPML `category` attribute (`/senfi,/akhbar-sazman`); each folder
 * carries its own category's slug the same way, so names survive the trip (a category that is
 * never a source's first gets an empty folder of its own). Import reads a feed's `category`
 * attribute when there is one, else its folder; each label finds a category by slug, name or
 * alias (Persian-normalised), and a missing one is created, named as its folder says.
 */
import { matchLabels } from '../core/categorise.ts';
import { ConflictError, ValidationError } from '../core/errors.ts';
import { hashText } from '../core/hash.ts';
import { normaliseKey } from '../core/persian.ts';
import type { Category } from '../core/types.ts';
import type { Repos } from '../db/repos/index.ts';
import type { Source } from '../db/repos/sources.ts';
import { prepareXml } from './parse/entities.ts';
import { attr, children, parseXml, type XmlElement } from './parse/xml.ts';
import { checkUrl, FetchRefusedError } from './ssrf.ts';

export interface OpmlEntry {
  url: string;
  title: string | null;
  siteUrl: string | null;
  /** From the `category` attribute, else the nearest folder's category or name. */
  labels: string[];
}

export interface OpmlDocument {
  entries: OpmlEntry[];
  /** Category names that folders declare for slugs (`<outline text="صنفی" category="/senfi">`). */
  names: Map<string, string>;
}

export const MAX_OPML_SOURCES = 5000;

/** The feed outlines of an OPML document, in document order; a 422 when it is not OPML. */
export function parseOpml(text: string): OpmlDocument {
  const root = text.trim() === '' ? null : parseXml(prepareXml(text));
  if (root === null || root.local !== 'opml') {
    throw new ValidationError('not an OPML document', [{ field: '(body)', message: 'is not an OPML document (no <opml> root element)' }]);
  }
  const doc: OpmlDocument = { entries: [], names: new Map() };
  const walk = (el: XmlElement, folder: string | null) => {
    for (const outline of children(el, '', 'outline')) {
      const name = clean(attr(outline, 'title')) ?? clean(attr(outline, 'text'));
      const declared = categoryPaths(attr(outline, 'category'));
      const url = clean(attr(outline, 'xmlurl'));
      if (url === null) {
        const [own] = declared;
        if (own !== undefined && name !== null && declared.length === 1) doc.names.set(own, name);
        walk(outline, own ?? name ?? folder);
        continue;
      }
      // Exporters write the address as text when a feed has no title: that is not a title.
      doc.entries.push({ url, title: name === url ? null : name, siteUrl: clean(attr(outline, 'htmlurl')), labels: declared.length > 0 ? declared : folder ? [folder] : [] });
    }
  };
  for (const body of children(root, '', 'body')) walk(body, null);
  return doc;
}

/** OPML's `category`: comma-separated slash paths; each path's last part is the label. */
function categoryPaths(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((path) => path.trim().replace(/\/+$/, '').split('/').pop()?.trim() ?? '')
    .filter(Boolean);
}

const clean = (value: string | null): string | null => value?.replace(/\s+/g, ' ').trim() || null;

export interface ImportReport {
  created: number;
  existing: number;
  failed: number;
  categoriesCreated: string[];
  sources: { url: string; status: 'created' | 'existing' | 'failed'; id: number | null; error?: string }[];
}

export interface ImportOptions {
  allowPrivate: boolean;
  /** Called after each outline, for a progress line. */
  onProgress?: (done: number, total: number, entry: ImportReport['sources'][number]) => void;
}

/**
 * Adds every feed of an OPML document that is not a source yet. Each outline stands alone: a
 * refused or malformed address is reported and skipped, the others are still added.
 * Addresses are checked by the SSRF guard's literal and name rules here; DNS answers are
 * checked at every fetch.
 */
export async function importOpml(repos: Repos, text: string, opts: ImportOptions): Promise<ImportReport> {
  const { entries, names } = parseOpml(text);
  if (entries.length === 0) throw new ValidationError('no feeds', [{ field: '(body)', message: 'holds no feed outlines (<outline xmlUrl="…">)' }]);
  if (entries.length > MAX_OPML_SOURCES) throw new ValidationError('too many feeds', [{ field: '(body)', message: `holds ${entries.length} feeds; import at most ${MAX_OPML_SOURCES} at a time` }]);

  const categories = await repos.categories.list({ limit: 100_000 });
  const report: ImportReport = { created: 0, existing: 0, failed: 0, categoriesCreated: [], sources: [] };
  for (const [i, entry] of entries.entries()) {
    const line = await importOne(repos, entry, { categories, names, report }, opts);
    report[line.status === 'created' ? 'created' : line.status === 'existing' ? 'existing' : 'failed']++;
    report.sources.push(line);
    opts.onProgress?.(i + 1, entries.length, line);
  }
  return report;
}

interface Known {
  categories: Category[];
  names: Map<string, string>;
  report: ImportReport;
}

async function importOne(repos: Repos, entry: OpmlEntry, known: Known, opts: ImportOptions): Promise<ImportReport['sources'][number]> {
  const failed = (error: string) => ({ url: entry.url, status: 'failed' as const, id: null, error });
  let url: URL;
  try {
    url = new URL(entry.url);
  } catch {
    return failed('opml: not an absolute URL; fix the outline\'s xmlUrl');
  }
  try {
    await checkUrl(url, { allowPrivate: opts.allowPrivate });
  } catch (error) {
    if (error instanceof FetchRefusedError) return failed(error.message);
    throw error;
  }
  const existing = await repos.sources.byUrl(url.href);
  if (existing) return { url: url.href, status: 'existing', id: existing.id };
  const categoryIds: number[] = [];
  for (const label of entry.labels) categoryIds.push(await categoryFor(repos, label, known));
  try {
    const created = await repos.sources.create({ url: url.href, title: entry.title, siteUrl: entry.siteUrl, categoryIds });
    return { url: url.href, status: 'created', id: created.id };
  } catch (error) {
    // The same feed listed twice in one document.
    if (error instanceof ConflictError) return { url: url.href, status: 'existing', id: (await repos.sources.byUrl(url.href))?.id ?? null };
    throw error;
  }
}

async function categoryFor(repos: Repos, label: string, known: Known): Promise<number> {
  const [id] = matchLabels([label], known.categories);
  if (id !== undefined) return id;
  const slug = slugFor(label);
  let category: Category;
  try {
    category = await repos.categories.create({ slug, name: known.names.get(label) ?? label });
    known.report.categoriesCreated.push(slug);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    category = (await repos.categories.bySlug(slug))!;
  }
  known.categories.push(category);
  return category.id;
}

/** A slug for a label: itself when it is one, its ASCII letters when it has some, else a hash. */
export function slugFor(label: string): string {
  const ascii = label
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 64);
  return /[a-z0-9]/.test(ascii) ? ascii.replace(/-+$/, '') : `c-${hashText(normaliseKey(label))}`;
}

export interface ExportOptions {
  title: string;
  now: Date;
}

/** Every source as OPML 2.0, in folders by first category. */
export async function exportOpml(repos: Repos, opts: ExportOptions): Promise<string> {
  const categories = new Map((await repos.categories.list({ limit: 100_000 })).map((c) => [c.id, c]));
  const sources: Source[] = [];
  for (let page = await repos.sources.list({ limit: 1000 }); page.length > 0; page = await repos.sources.list({ limit: 1000, afterId: page.at(-1)!.id })) {
    sources.push(...page);
  }
  return writeOpml(opts, sources.map((s) => ({ ...s, categories: s.categoryIds.map((id) => categories.get(id)).filter((c) => c !== undefined) })));
}

export interface OpmlSource {
  url: string;
  title: string | null;
  siteUrl: string | null;
  categories: Pick<Category, 'slug' | 'name'>[];
}

export function writeOpml(opts: ExportOptions, sources: OpmlSource[]): string {
  const folders = new Map<string, { name: string; lines: string[] }>();
  const loose: string[] = [];
  for (const source of sources) {
    for (const category of source.categories) if (!folders.has(category.slug)) folders.set(category.slug, { name: category.name, lines: [] });
    const attrs: [string, string | null][] = [
      ['type', 'rss'],
      ['text', source.title ?? source.url],
      ['title', source.title],
      ['xmlUrl', source.url],
      ['htmlUrl', source.siteUrl],
      ['category', source.categories.length > 0 ? source.categories.map((c) => `/${c.slug}`).join(',') : null],
    ];
    const line = `<outline${attrs.map(([k, v]) => (v === null ? '' : ` ${k}="${escapeAttr(v)}"`)).join('')}/>`;
    const [first] = source.categories;
    if (first) folders.get(first.slug)!.lines.push(`      ${line}`);
    else loose.push(`    ${line}`);
  }
  const body = [...folders.entries()].flatMap(([slug, f]) => {
    const open = `    <outline text="${escapeAttr(f.name)}" title="${escapeAttr(f.name)}" category="/${escapeAttr(slug)}"`;
    return f.lines.length > 0 ? [`${open}>`, ...f.lines, '    </outline>'] : [`${open}/>`];
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeAttr(opts.title)}</title>`,
    `    <dateCreated>${opts.now.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    ...body,
    ...loose,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}

function escapeAttr(value: string): string {
  return value.replace(/[&<>"\n\r\t]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
