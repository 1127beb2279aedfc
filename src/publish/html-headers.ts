/** What every HTML view answers with: a strict CSP (no inline script or style) and friends. */
import { secureHeaders } from 'hono/secure-headers';

export const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    // Item content shows the publisher's images and media where they live.
    imgSrc: ["'self'", 'https:', 'http:', 'data:'],
    mediaSrc: ['https:', 'http:'],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: 'DENY',
  referrerPolicy: 'strict-origin-when-cross-origin',
  // HSTS belongs to whoever terminates TLS in front of Chapar.
  strictTransportSecurity: false,
});

/**
 * True when the client takes HTML: a browser's Accept always names text/html or a wildcard.
 * A request with no Accept at all is taken for a program that wants a feed, not a page.
 */
export function acceptsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return ['text/html', 'application/xhtml+xml', 'text/*', '*/*'].includes(type) && (q === undefined || Number(q.slice(2)) > 0);
  });
}
