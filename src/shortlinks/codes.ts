/**
 * What a short code and a link target may be, and the exact `Location` a stored target
 * becomes. Pure: WHATWG `URL` only.
 */

export const CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Words a custom code may not be (any case): they name, or may one day name, our own paths. */
export const RESERVED_CODES: ReadonlySet<string> = new Set([
  'admin', 'api', 'assets', 'feeds', 'healthz', 'items', 'links', 'login', 'logout', 'metrics',
  'opml', 'robots', 's', 'static', 'stats', 'www',
]);

export const MAX_URL_LENGTH = 2048;

export const isCode = (code: string) => CODE_PATTERN.test(code);

/** Why `code` cannot be a custom code, or null when it can. */
export function codeProblem(code: string): string | null {
  if (!CODE_PATTERN.test(code)) return 'must be 1-64 of A-Z, a-z, 0-9, "-" and "_"';
  if (RESERVED_CODES.has(code.toLowerCase())) return `"${code}" is reserved`;
  return null;
}

// Any C0/C1 control, DEL, or Unicode whitespace (incl. NBSP, line/paragraph separators, BOM).
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]/;

/** Why `url` cannot be a link target, or null when it can. Taken as given: nothing is trimmed. */
export function targetProblem(url: string): string | null {
  if (url.length === 0) return 'must not be empty';
  if (url.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  if (CONTROL_OR_SPACE.test(url)) return 'must not contain spaces or control characters';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http or https URL';
  if (!/^https?:\/\//i.test(url)) return 'must be an absolute http(s) URL (scheme://host/...)';
  // `https://bank.example@evil.example/` reads like the bank's address; nobody needs userinfo here.
  if (parsed.username || parsed.password) return 'must not contain a user name or password';
  return null;
}

const HEADER_SAFE = /^[\x21-\x5b\x5d-\x7e]+$/;

/**
 * The `Location` for a stored target: the stored text itself when it is already plain
 * visible ASCII (byte for byte what was stored), else its WHATWG serialisation
 * (non-ASCII paths and queries percent-encoded, hosts in punycode). Null for anything that
 * is not an http(s) URL, so a bad row can never become a redirect.
 */
export function locationFor(stored: string): string | null {
  // The URL parser would quietly drop tabs and newlines, making a target nobody stored.
  if (/[\u0000-\u001f\u007f]/.test(stored)) return null;
  let url: URL;
  try {
    url = new URL(stored);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (HEADER_SAFE.test(stored) && /^https?:\/\//i.test(stored)) return stored;
  // href is ASCII already; a backslash may survive in a query, and some clients read it as "/".
  const href = url.href.replace(/\\/g, '%5C');
  return HEADER_SAFE.test(href) ? href : null;
}
