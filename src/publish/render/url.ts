/**
 * URLs the way feed validators and strict readers want them: absolute, ASCII only (IRIs such as
 * Persian paths percent-encoded, IDN hosts in punycode) and in RFC 3986 normal form, so the same
 * link always renders to the same bytes.
 */

/** Characters RFC 3986 allows outside the host; everything else gets percent-encoded. */
const NOT_URI_CHAR = /[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]/gu;

/**
 * Escapes that RFC 3986 normalisation may change: ASCII ones (an unreserved character is decoded)
 * and ones with lowercase hex digits. Uppercase escapes of non-ASCII bytes, the bulk of a Persian
 * URL, never match, which keeps this cheap.
 */
const CHANGEABLE_ESCAPE = /%(?:[0-7][0-9A-Fa-f]|[89A-Fa-f][a-f]|[a-f][0-9A-F])|%(?![0-9A-Fa-f]{2})/g;

function normaliseEscape(escape: string): string {
  if (escape.length === 1) return '%25';
  const char = String.fromCharCode(parseInt(escape.slice(1), 16));
  return /[A-Za-z0-9\-._~]/.test(char) ? char : escape.toUpperCase();
}

/** Absolute URL in ASCII normal form, or the input unchanged when it does not parse. */
export function toUri(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  const href = url.href;
  // URL parsing has already made the authority ASCII (and may bracket an IPv6 host); what is left
  // to encode are the few characters WHATWG URLs tolerate but RFC 3986 does not, like "|" or "[".
  // None is a lone surrogate (the parser wrote those as %EF%BF%BD), so encodeURIComponent is safe.
  const authorityEnd = url.host === '' ? url.protocol.length : href.indexOf(url.host, url.protocol.length) + url.host.length;
  const head = href.slice(0, authorityEnd);
  const rest = href.slice(authorityEnd).replace(NOT_URI_CHAR, (char) => encodeURIComponent(char));
  return head + rest.replace(CHANGEABLE_ESCAPE, normaliseEscape);
}

export function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
