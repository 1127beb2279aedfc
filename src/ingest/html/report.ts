/**
 * What one fetch or preview of an HTML source found, field by field and article by
 * article, and the rule that turns a selector matching nothing into "store nothing". Pure.
 */
import type { FieldProblem } from '../../core/errors.ts';
import type { ArticleExtract } from './extract.ts';
import type { ListingLinks } from './listing.ts';
import { FIELDS, type Field, type ResolvedSelectors } from './selectors.ts';

export interface FieldReport {
  field: Field;
  /** The alternatives tried, in order. */
  selectors: string[];
  from: 'preset' | 'explicit' | null;
  /** Pages the field was read on: the listing for `item`, the fetched articles for the rest. */
  pages: number;
  /** Pages where it gave a value. */
  found: number;
  /** ok: found on every page; partial: on some; missing: on none; unused: no page to read, or no selector. */
  status: 'ok' | 'partial' | 'missing' | 'unused';
  /** The alternatives that gave values. */
  matchedWith: string[];
  /** The first value read, shortened. */
  sample: string | null;
  /** What went wrong, in words, when it did. */
  message: string | null;
}

export interface ArticleReport {
  url: string;
  /** ok: gave an item; skipped: no title or body; failed: could not be fetched; disallowed: robots.txt. */
  status: 'ok' | 'skipped' | 'failed' | 'disallowed';
  problems: string[];
}

export interface ListingReport {
  url: string;
  status: number | null;
  /** Article links found (after dedup), and how many of them were already stored. */
  links: number;
  known: number;
  duplicates: number;
  offsite: number;
  /** New links robots.txt forbids. */
  disallowed: number;
  /** New links left for the next poll by the per-fetch cap. */
  deferred: number;
}

export interface HtmlReport {
  /** True when every selector did its job and every page could be read. */
  ok: boolean;
  listing: ListingReport;
  fields: FieldReport[];
  articles: ArticleReport[];
  /** Selector failures, each naming its field (`selectors.title`); when any, nothing is stored. */
  problems: FieldProblem[];
}

/** Without these nothing can be stored: the listing's links, and each article's title and body. */
const ESSENTIAL: readonly Field[] = ['item', 'title', 'content'];
/** Fields an admin's own selector must find somewhere; a preset's may miss on some layouts. */
const WRITTEN_MUST_MATCH: readonly Field[] = ['date', 'categories'];

export function fieldReports(selectors: ResolvedSelectors, listing: ListingLinks | null, extracts: ArticleExtract[]): FieldReport[] {
  return FIELDS.map((field) => {
    const selector = selectors[field];
    const base = { field, selectors: selector?.alternatives ?? [], from: selector?.from ?? null };
    if (!selector) return { ...base, pages: 0, found: 0, status: 'unused', matchedWith: [], sample: null, message: null };
    if (field === 'item') return itemReport(base, listing);
    const outcomes = extracts.map((e) => e.fields[field]).filter((o) => o !== undefined);
    const good = outcomes.filter((o) => o.problem === null);
    const pages = outcomes.length;
    const status = pages === 0 ? 'unused' : good.length === pages ? 'ok' : good.length === 0 ? 'missing' : 'partial';
    const firstProblem = outcomes.find((o) => o.problem !== null)?.problem ?? null;
    const message =
      status === 'missing'
        ? `found on none of ${pages} article${pages === 1 ? '' : 's'}: ${firstProblem}`
        : status === 'partial'
          ? `found on ${good.length} of ${pages} articles; elsewhere ${firstProblem}`
          : null;
    return {
      ...base,
      pages,
      found: good.length,
      status,
      matchedWith: [...new Set(good.map((o) => o.selector!))],
      sample: good[0]?.value ?? null,
      message,
    };
  });
}

function itemReport(base: Pick<FieldReport, 'field' | 'selectors' | 'from'>, listing: ListingLinks | null): FieldReport {
  if (listing === null) return { ...base, pages: 0, found: 0, status: 'unused', matchedWith: [], sample: null, message: null };
  const found = listing.links.length > 0 ? 1 : 0;
  const message =
    listing.matched === 0
      ? `matched nothing on the listing page (${base.selectors.map((s) => JSON.stringify(s)).join(' or ')})`
      : found === 0
        ? `matched ${listing.matched} elements but none links to an article on this site (${listing.offsite} off-site, ${listing.unusable} without a usable href)`
        : null;
  return {
    ...base,
    pages: 1,
    found,
    status: found ? 'ok' : 'missing',
    matchedWith: listing.selector ? [listing.selector] : [],
    sample: listing.links[0] ?? null,
    message,
  };
}

/**
 * Selector failures: the listing gives no article links, a per-article field is found on
 * none of the articles read, or a written date/categories selector is. Presets are
 * guesses over many layouts, so their date, categories and optional fields only warn.
 */
export function selectorProblems(fields: FieldReport[]): FieldProblem[] {
  return fields
    .filter((f) => f.status === 'missing' && (ESSENTIAL.includes(f.field) || (f.from === 'explicit' && WRITTEN_MUST_MATCH.includes(f.field))))
    .map((f) => ({ field: `selectors.${f.field}`, message: f.message ?? 'found nothing' }));
}
