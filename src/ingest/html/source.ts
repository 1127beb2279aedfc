/**
 * The pipeline's entry for `kind === 'html'` sources: one crawl, its articles as RawItems
 * for the same prepare → categorise → store path feeds take. Identity is the article URL
 * (no guid), so the same article read twice is the same item.
 */
import type { FieldProblem } from '../../core/errors.ts';
import { ValidationError } from '../../core/errors.ts';
import type { Repos } from '../../db/repos/index.ts';
import type { RawItem } from '../prepare.ts';
import { crawl, type CrawlDeps, type CrawlResult, type HtmlOutcome } from './crawl.ts';
import { readHtmlOptions, type HtmlSettings } from './options.ts';
import { fieldReports, type HtmlReport } from './report.ts';

export type { CrawlDeps as HtmlFetchDeps, HtmlOutcome };
export { HostGate } from './polite.ts';
export { RobotsCache } from './robots.ts';

/** The parts of a stored source an HTML fetch reads. */
export interface HtmlSource {
  url: string;
  /** `{preset?, selectors?, maxNewArticles?, delayMs?, concurrency?}`, see options.ts. */
  options: unknown;
  charset?: string | null;
  timeZone?: string | null;
  /** The listing's validators from the last fetch; pass null to force an unconditional GET. */
  etag?: string | null;
  lastModified?: string | null;
}

export interface HtmlFetchResult {
  /** Handled like a feed's FetchResult: ok, not-modified, gone, retry-later or error (with a message for lastError). */
  outcome: HtmlOutcome;
  /** New articles, in listing order; empty unless every selector found something. */
  items: RawItem[];
  report: HtmlReport;
  /** Store these as the source's etag/lastModified; null means store none (the next GET is unconditional). */
  validators: CrawlResult['validators'];
}

export async function fetchHtmlItems(source: HtmlSource, deps: CrawlDeps): Promise<HtmlFetchResult> {
  let settings: HtmlSettings;
  try {
    settings = readHtmlOptions(source.options);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return invalidOptions(source.url, error.problems);
  }
  const result = await crawl(
    {
      url: source.url,
      settings,
      etag: source.etag ?? null,
      lastModified: source.lastModified ?? null,
      charset: source.charset ?? null,
      timeZone: source.timeZone ?? null,
      limit: settings.maxNewArticles,
    },
    deps,
  );
  const stored = result.outcome.kind === 'ok' ? result.articles : [];
  return {
    outcome: result.outcome,
    items: stored.flatMap((a) => (a.extract?.item ? [a.extract.item] : [])),
    report: result.report,
    validators: result.validators,
  };
}

/** Articles a listing shows are its newest; the source's newest stored items cover them. */
const KNOWN_WINDOW = 500;

/**
 * A `known` for fetchHtmlItems from the store: the URLs among `urls` that the source's newest
 * items already have. Deleted items are not listed, so their pages are read again (and
 * stay deleted: the upsert keeps tombstones).
 */
export function storedArticleUrls(repos: Repos, sourceId: number): (urls: string[]) => Promise<Set<string>> {
  return async (urls) => {
    const stored = await repos.items.list([{ sources: [sourceId] }], { limit: KNOWN_WINDOW });
    const have = new Set(stored.map((item) => item.url));
    return new Set(urls.filter((url) => have.has(url)));
  };
}

function invalidOptions(url: string, problems: FieldProblem[]): HtmlFetchResult {
  const listing = { url, status: null, links: 0, known: 0, duplicates: 0, offsite: 0, disallowed: 0, deferred: 0 };
  const summary = problems.map((p) => `${p.field} ${p.message}`).join('; ');
  return {
    outcome: { kind: 'error', status: null, url, message: `html: the source's options are invalid: ${summary}` },
    items: [],
    report: { ok: false, listing, fields: fieldReports({}, null, []), articles: [], problems },
    validators: null,
  };
}
