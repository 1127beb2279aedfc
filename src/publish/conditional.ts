/** HTTP validators and content-coding negotiation for published bytes (RFC 9110 §8.8, §12.5.3, §13). Pure. */

export type Encoding = 'br' | 'gzip' | 'identity';

/** Weak comparison, as If-None-Match requires: a W/ prefix or a list of tags still matches. */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  // The common case, a reader sending back the tag it got: no parsing.
  if (ifNoneMatch === etag) return true;
  if (ifNoneMatch.trim() === '*') return true;
  const wanted = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === wanted);
}

/**
 * True when the client's copy is current. If-None-Match wins when both are sent; If-Modified-Since
 * is compared at whole seconds, the precision of an HTTP date.
 */
export function isNotModified(headers: { ifNoneMatch?: string | undefined; ifModifiedSince?: string | undefined }, etag: string, lastModified: Date): boolean {
  if (headers.ifNoneMatch !== undefined) return etagMatches(headers.ifNoneMatch, etag);
  if (!headers.ifModifiedSince) return false;
  const since = Date.parse(headers.ifModifiedSince);
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
}

/**
 * The coding to send: the acceptable one the client weighs highest among those on offer, brotli
 * before gzip on a tie (smaller). identity is always acceptable unless refused outright, and
 * then still sent: a feed in plain bytes beats a 406.
 */
export function negotiateEncoding(acceptEncoding: string | undefined, offered: readonly Exclude<Encoding, 'identity'>[]): Encoding {
  if (!acceptEncoding) return 'identity';
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim());
    if (!name) continue;
    const q = params.find((p) => /^q=/.test(p));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(weight) ? Math.min(1, Math.max(0, weight)) : 0);
  }
  const star = weights.get('*');
  // identity competes only when the client weighs it explicitly; a coding weighed the same wins.
  const identityWeight = weights.get('identity');
  let best: Encoding = 'identity';
  let bestWeight = identityWeight === undefined ? 0 : Math.max(identityWeight - Number.EPSILON, 0);
  for (const coding of offered) {
    const weight = weights.get(coding) ?? star ?? 0;
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

/** The strong tag of one coding of a representation: each coding is its own set of bytes. */
export function variantTag(hash: string, encoding: Encoding): string {
  return encoding === 'identity' ? `"${hash}"` : `"${hash}-${encoding}"`;
}
