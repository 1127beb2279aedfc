/**
 * One crawl of an HTML source, top to bottom: robots.txt → listing (conditional GET) →
 * article links → the ones not stored yet, robots-allowed, capped → each article through
 * the per-host gate → extract → report. Shared by the pipeline's fetch and the preview.
 */
import type { FetchOptions, FetchResult } from '../fetch.ts';
import { parsePage } from './dom.ts';
import { extractArticle, type ArticleExtract } from './extract.ts';
import { findArticleLinks, type ListingLinks } from './listing.ts';
import type { HtmlSettings } from './options.ts';
import { fetchPage, type PageResult } from './page.ts';
import { HostGate, type Politeness } from './polite.ts';
import { fieldReports, selectorProblems, type ArticleReport, type HtmlReport, type ListingReport } from './report.ts';
import { RobotsCache } from './robots.ts';

export interface CrawlDeps {
  fetch: FetchOptions;
  /** Shared by every HTML source of a poll, so two sources on one site take turns. */
  gate?: HostGate;
  /** Shared for the same reason, and so robots.txt is read once a day, not once a poll. */
  robots?: RobotsCache;
  now?: () => Date;
  /** Which of these article URLs the source already has; absent: none. */
  known?: (urls: string[]) => Promise<Set<string>>;
}

export interface CrawlRequest {
  url: string;
  settings: HtmlSettings;
  etag?: string | null;
  lastModified?: string | null;
  charset?: string | null;
  timeZone?: string | null;
  /** Articles read at most: the source's cap for a fetch, a few for a preview. */
  limit: number;
}

/** The listing's fetch as the pipeline knows it from feeds; `error` also covers robots.txt and selector failures. */
export type HtmlOutcome = { kind: 'ok'; status: number; url: string } | Exclude<FetchResult, { kind: 'ok' }>;

export interface ArticleResult extends ArticleReport {
  extract: ArticleExtract | null;
}

export interface CrawlResult {
  outcome: HtmlOutcome;
  /** Every article link on the listing, in page order, each once. */
  links: string[];
  articles: ArticleResult[];
  report: HtmlReport;
  /**
   * The listing's validators to keep for the next conditional GET; null when the next poll
   * must read the listing again whatever it says (articles deferred by the cap or failed).
   */
  validators: { etag: string | null; lastModified: string | null } | null;
}

export async function crawl(req: CrawlRequest, deps: CrawlDeps): Promise<CrawlResult> {
  const { settings } = req;
  const gate = deps.gate ?? new HostGate();
  const robots = deps.robots ?? new RobotsCache();
  const now = deps.now?.() ?? new Date();
  const listingReport: ListingReport = { url: req.url, status: null, links: 0, known: 0, duplicates: 0, offsite: 0, disallowed: 0, deferred: 0 };
  const done = (outcome: HtmlOutcome, links: ListingLinks | null, articles: ArticleResult[], validators: CrawlResult['validators']) =>
    finish(req, outcome, listingReport, links, articles, validators);

  // robots.txt, then the listing, each waiting its turn at the host.
  const politeness: Politeness = { concurrency: settings.concurrency, delayMs: settings.delayMs };
  const polite = <T>(url: string, task: () => Promise<T>) => gate.run(url, politeness, task);
  const verdict = await robots.check(req.url, deps.fetch, (task) => polite(req.url, task));
  if (!verdict.allowed) return done({ kind: 'error', status: null, url: req.url, message: `html: ${verdict.reason}` }, null, [], null);
  politeness.delayMs = Math.max(settings.delayMs, verdict.crawlDelayMs ?? 0);

  const listing = await polite(req.url, () => fetchPage({ url: req.url, etag: req.etag ?? null, lastModified: req.lastModified ?? null }, deps.fetch, req.charset));
  listingReport.status = listing.status;
  if (listing.kind === 'not-modified') return done(listing, null, [], { etag: listing.etag, lastModified: listing.lastModified });
  if (listing.kind !== 'ok') return done(listing, null, [], null);

  // Article links: new ones, allowed by robots.txt, up to the cap.
  const links = findArticleLinks(parsePage(listing.text, listing.url), listing.url, settings.selectors.item!);
  Object.assign(listingReport, { links: links.links.length, duplicates: links.duplicates, offsite: links.offsite });
  const known = links.links.length > 0 && deps.known ? await deps.known(links.links) : new Set<string>();
  const fresh = links.links.filter((url) => !known.has(url));
  listingReport.known = links.links.length - fresh.length;
  const disallowed: ArticleResult[] = [];
  const allowed: string[] = [];
  for (const url of fresh) {
    const v = await robots.check(url, deps.fetch, (task) => polite(url, task));
    if (v.allowed) allowed.push(url);
    else disallowed.push({ url, status: 'disallowed', problems: [v.reason ?? 'robots.txt disallows it'], extract: null });
  }
  listingReport.disallowed = disallowed.length;
  const batch = allowed.slice(0, req.limit);
  listingReport.deferred = allowed.length - batch.length;

  // Articles, in listing order; the gate spaces them out.
  const read = await Promise.all(batch.map((url) => polite(url, () => fetchPage({ url }, deps.fetch, req.charset)).then((page) => readArticle(url, page, req, now))));
  const articles = [...read, ...disallowed];
  const complete = listingReport.deferred === 0 && read.every((a) => a.status !== 'failed');
  const validators = complete ? { etag: listing.etag, lastModified: listing.lastModified } : null;
  return done({ kind: 'ok', status: listing.status, url: listing.url }, links, articles, validators);
}

function readArticle(url: string, page: PageResult, req: CrawlRequest, now: Date): ArticleResult {
  if (page.kind !== 'ok') return { url, status: 'failed', problems: [pageProblem(page)], extract: null };
  try {
    const extract = extractArticle(parsePage(page.text, page.url), url, req.settings.selectors, { timeZone: req.timeZone ?? null, now });
    return { url, status: extract.item ? 'ok' : 'skipped', problems: extract.problems, extract };
  } catch (error) {
    return { url, status: 'skipped', problems: [`html: ${url} could not be read (${error instanceof Error ? error.message : String(error)})`], extract: null };
  }
}

function pageProblem(page: Exclude<PageResult, { kind: 'ok' }>): string {
  if (page.kind === 'error') return page.message;
  if (page.kind === 'retry-later') return `fetch: ${page.url} answered ${page.status}; will retry at the next poll`;
  return `fetch: ${page.url} answered ${page.status}`;
}

function finish(
  req: CrawlRequest,
  outcome: HtmlOutcome,
  listing: ListingReport,
  links: ListingLinks | null,
  articles: ArticleResult[],
  validators: CrawlResult['validators'],
): CrawlResult {
  const fields = fieldReports(req.settings.selectors, links, articles.flatMap((a) => (a.extract ? [a.extract] : [])));
  const problems = outcome.kind === 'ok' ? selectorProblems(fields) : [];
  const report: HtmlReport = {
    ok: outcome.kind !== 'error' && outcome.kind !== 'retry-later' && problems.length === 0 && articles.every((a) => a.status === 'ok' || a.status === 'disallowed'),
    listing,
    fields,
    articles: articles.map(({ extract: _, ...article }) => article),
    problems,
  };
  const found = links?.links ?? [];
  if (problems.length === 0) return { outcome, links: found, articles, report, validators };
  // A selector that finds nothing stores nothing: the pipeline records the failure and retries.
  const summary = problems.map((p) => `${p.field} ${p.message}`).join('; ');
  return {
    outcome: { kind: 'error', status: outcome.kind === 'ok' ? outcome.status : null, url: outcome.url, message: `html: ${summary}; check the source's selectors (chapar preview ${req.url})` },
    links: found,
    articles,
    report,
    validators: null,
  };
}
