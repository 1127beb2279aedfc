/** URL helpers for items and their content. Pure: WHATWG `URL` only. */

/** Query parameters that only tell an analytics service where a click came from. */
const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'ttclid',
  'igshid', 'li_fat_id', 'mc_cid', 'mc_eid', 'mkt_tok', '_hsenc', '_hsmi', '__hstc', '__hssc',
  '__hsfp', 'hsctatracking', 'ref_src', 'ref_url', '_openstat', 'oly_anon_id', 'oly_enc_id',
  'rb_clickid', 's_cid', 'vero_conv', 'vero_id', 'wickedid', 'xtor', 'at_medium', 'at_campaign',
]);

const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_'];

function isTrackingParam(rawKey: string): boolean {
  let key: string;
  try {
    key = decodeURIComponent(rawKey.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    key = rawKey.toLowerCase();
  }
  return TRACKING_PARAMS.has(key) || TRACKING_PREFIXES.some((p) => key.startsWith(p));
}

/**
 * The URL without tracking parameters. Other parameters keep their order and
 * their exact spelling (re-serialising through URLSearchParams would re-encode
 * them and break some servers' signatures). Not a URL: returned unchanged.
 */
export function stripTracking(url: string): string {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const hash = hashAt === -1 ? '' : url.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  if (queryAt === -1) return url;
  const kept = beforeHash
    .slice(queryAt + 1)
    .split('&')
    .filter((pair) => pair !== '' && !isTrackingParam(pair.split('=', 1)[0] ?? ''));
  const query = kept.length > 0 ? `?${kept.join('&')}` : '';
  return beforeHash.slice(0, queryAt) + query + hash;
}

/**
 * `href` made absolute against `base`, or null when it is empty, unparseable
 * or not http(s) (javascript:, data:, mailto:, file: and the like).
 */
export function resolveUrl(href: string | null | undefined, base: string | null): string | null {
  if (href == null) return null;
  const trimmed = href.trim();
  if (trimmed === '') return null;
  let url: URL;
  try {
    url = base ? new URL(trimmed, base) : new URL(trimmed);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}
