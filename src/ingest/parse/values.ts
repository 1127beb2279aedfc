import { parseDate } from '../../core/dates.ts';
import type { ParseDateOptions } from '../../core/dates.ts';
import { normaliseKey } from '../../core/persian.ts';
import type { Enclosure } from '../../core/types.ts';
import { resolveUrl, stripTracking } from '../../core/urls.ts';

/** An ISO 8601 UTC timestamp for the first readable date, or null. */
export function isoDate(opts: ParseDateOptions, ...raw: (string | null | undefined)[]): string | null {
  for (const r of raw) {
    const trimmed = r?.trim();
    if (!trimmed) continue;
    const date = parseDate(trimmed, opts);
    if (date !== null) return date.toISOString();
  }
  return null;
}

/** An item's link: absolute, http(s), without tracking parameters. */
export function itemUrl(href: string | null | undefined, base: string | null): string | null {
  const url = resolveUrl(href, base);
  return url === null ? null : stripTracking(url);
}

/**
 * A person's name from the shapes feeds use: `jo@example.com (Jo Bloggs)`,
 * `Jo Bloggs <jo@example.com>`, `Jo Bloggs (jo@example.com)`, or just a name.
 */
export function personName(raw: string | null | undefined): string | null {
  const s = raw?.replace(/\s+/g, ' ').trim();
  if (!s) return null;
  const named =
    /^\S+@\S+\s*\((.+)\)$/.exec(s)?.[1] ??
    /^(.+?)\s*<[^<>\s]+@[^<>\s]+>$/.exec(s)?.[1] ??
    /^(.+?)\s*\([^()\s]+@[^()\s]+\)$/.exec(s)?.[1] ??
    s;
  const name = named.replace(/^["']|["']$/g, '').trim();
  return name === '' ? null : name;
}

/** A language tag as BCP 47 writes it (`en_US` → `en-US`), or null. */
export function languageTag(raw: string | null | undefined): string | null {
  const tag = raw?.trim().replace(/_/g, '-');
  return tag ? tag : null;
}

/** Several authors as one string; null when there are none. */
export function joinNames(names: (string | null)[]): string | null {
  const unique = [...new Set(names.filter((n): n is string => n !== null))];
  return unique.length > 0 ? unique.join(', ') : null;
}

/** Category labels trimmed, blanks dropped, duplicates (after Persian normalisation) removed, first spelling kept. */
export function labels(raw: (string | null | undefined)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of raw) {
    const label = r?.replace(/\s+/g, ' ').trim();
    if (!label) continue;
    const key = normaliseKey(label);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(label);
  }
  return out;
}

export interface EnclosureInput {
  url: string | null | undefined;
  type?: string | null | undefined;
  length?: string | number | null | undefined;
  /** Base for a relative `url`. */
  base: string | null;
}

/** Enclosures with absolute http(s) URLs, one per URL. */
export function enclosures(raw: EnclosureInput[]): Enclosure[] {
  const out: Enclosure[] = [];
  const seen = new Set<string>();
  for (const r of raw) {
    const url = resolveUrl(r.url, r.base);
    if (url === null || seen.has(url)) continue;
    seen.add(url);
    out.push({ url, type: r.type?.trim().toLowerCase() || null, length: byteLength(r.length) });
  }
  return out;
}

function byteLength(raw: string | number | null | undefined): number | null {
  const n = typeof raw === 'number' ? raw : raw && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
