/**
 * Admin page sessions without a sessions table: the cookie holds a token id, an expiry and a
 * random nonce, signed with HMAC-SHA-256 under a random key kept in `settings`. The admin token
 * itself never leaves the sign-in form. CSRF tokens are HMACs of the session's nonce, so each
 * session has its own and a new sign-in gets a new one.
 */

export interface Session {
  tokenId: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  nonce: string;
}

/** What a CSRF token is for: a signed-in session's forms, or the sign-in form itself. */
export type CsrfPurpose = 'session' | 'login';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const encoder = new TextEncoder();

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

export const randomToken = (bytes = 18) => toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));

export interface SessionSigner {
  issue(tokenId: number, now: Date): Promise<{ value: string; session: Session }>;
  /** The session a cookie value stands for, or null when it is forged, malformed or expired. */
  verify(value: string | undefined, now: Date): Promise<Session | null>;
  csrfToken(purpose: CsrfPurpose, nonce: string): Promise<string>;
  checkCsrf(purpose: CsrfPurpose, nonce: string, given: string | undefined): Promise<boolean>;
}

export async function sessionSigner(secret: string): Promise<SessionSigner> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const sign = async (data: string) => toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(data))));
  // crypto.subtle.verify compares in constant time.
  const check = async (data: string, mac: string | undefined) => {
    const bytes = mac ? fromBase64Url(mac) : null;
    return bytes !== null && (await crypto.subtle.verify('HMAC', key, bytes, encoder.encode(data)));
  };

  return {
    async issue(tokenId, now) {
      const session: Session = { tokenId, expiresAt: now.getTime() + SESSION_TTL_MS, nonce: randomToken() };
      const payload = `${tokenId}.${session.expiresAt.toString(36)}.${session.nonce}`;
      return { value: `${payload}.${await sign(`session:${payload}`)}`, session };
    },

    async verify(value, now) {
      const match = /^([1-9][0-9]{0,15})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
      if (!match) return null;
      const [, id, expires, nonce, mac] = match as unknown as [string, string, string, string, string];
      if (!(await check(`session:${id}.${expires}.${nonce}`, mac))) return null;
      const expiresAt = parseInt(expires, 36);
      if (expiresAt <= now.getTime()) return null;
      return { tokenId: Number(id), expiresAt, nonce };
    },

    csrfToken: (purpose, nonce) => sign(`csrf:${purpose}:${nonce}`),
    checkCsrf: (purpose, nonce, given) => check(`csrf:${purpose}:${nonce}`, given),
  };
}
