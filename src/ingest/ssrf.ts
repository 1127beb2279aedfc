/**
 * The SSRF guard of the fetch stage: decides whether a source URL may be fetched
 * before any connection is made. Runtime-neutral; DNS comes in through `resolve`
 * because only Node can answer it (on Workers the name checks still apply).
 */
import ipaddr from 'ipaddr.js';

/** Every address a host name resolves to, IPv4 and IPv6. */
export type Resolve = (host: string) => Promise<string[]>;

export interface UrlCheckOptions {
  /** Lifts the address and host-name checks (tests, intranets); never the scheme check. */
  allowPrivate: boolean;
  /** Without it no DNS answer is checked: literals and reserved names still are. */
  resolve?: Resolve;
}

export class FetchRefusedError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`fetch: refusing ${url}: ${reason}`);
    this.name = 'FetchRefusedError';
  }
}

const ALLOW_HINT = 'set CHAPAR_FETCH_ALLOW_PRIVATE=true if this source is meant to live on your own network';

/**
 * Names that never lead to the public internet. RFC 6761/6762 and the names
 * cloud metadata services hide behind (`metadata.google.internal`).
 */
const PRIVATE_SUFFIXES = ['localhost', 'local', 'localdomain', 'internal', 'intranet', 'private', 'corp', 'home', 'lan', 'home.arpa'];

export async function checkUrl(url: URL, opts: UrlCheckOptions): Promise<void> {
  const shown = describeUrl(url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchRefusedError(shown, `only http and https sources can be fetched, not ${url.protocol}`);
  }
  // fetch() refuses such URLs itself, and a password in a source address would leak into logs.
  if (url.username !== '' || url.password !== '') {
    throw new FetchRefusedError(shown, 'a user name or password in the address is not supported; remove it');
  }
  if (opts.allowPrivate) return;

  const literal = parseHostLiteral(url.hostname);
  if (literal !== null) {
    if (isForbiddenAddress(literal)) {
      throw new FetchRefusedError(shown, `${literal} is a private or reserved address; ${ALLOW_HINT}`);
    }
    return;
  }
  const host = url.hostname.replace(/\.$/, '').toLowerCase();
  if (isPrivateName(host)) {
    throw new FetchRefusedError(shown, `${host} is a local host name; ${ALLOW_HINT}`);
  }
  if (opts.resolve) await checkResolvedAddresses(host, shown, opts.resolve);
}

async function checkResolvedAddresses(host: string, shown: string, resolve: Resolve): Promise<void> {
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (err) {
    const why = err instanceof Error ? ((err as { code?: string }).code ?? err.message) : String(err);
    throw new FetchRefusedError(shown, `${host} does not resolve (${why}); check the source's address`);
  }
  if (addresses.length === 0) {
    throw new FetchRefusedError(shown, `${host} resolves to no address; check the source's address`);
  }
  // One private answer is enough: the connection may pick any of them.
  const bad = addresses.find(isForbiddenAddress);
  if (bad !== undefined) {
    throw new FetchRefusedError(shown, `${host} resolves to ${bad}, a private or reserved address; ${ALLOW_HINT}`);
  }
}

function isPrivateName(host: string): boolean {
  // A single label is completed by the resolver's search domains, i.e. the local network.
  if (!host.includes('.')) return true;
  return PRIVATE_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}

/** The URL for messages: without a password, and short enough for a log line. */
function describeUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  const href = copy.href;
  return href.length > 200 ? `${href.slice(0, 200)}…` : href;
}

/**
 * True for every address that is not plain global unicast: loopback, private,
 * link-local, CGNAT, multicast, unspecified, broadcast, reserved and documentation
 * ranges, unique-local; IPv6 forms that embed an IPv4 address are judged by it.
 * Anything that is not an address at all is refused too (fail closed).
 */
export function isForbiddenAddress(ip: string): boolean {
  const literal = parseHostLiteral(ip);
  if (literal === null) return true;
  const addr = ipaddr.parse(literal);
  if (addr.kind() === 'ipv4') return addr.range() !== 'unicast';
  return isForbiddenIPv6(addr as ipaddr.IPv6);
}

function isForbiddenIPv6(addr: ipaddr.IPv6): boolean {
  const embedded = embeddedIPv4(addr);
  if (embedded === 'forbidden') return true;
  if (embedded !== null) return embedded.range() !== 'unicast';
  return addr.range() !== 'unicast';
}

/** The IPv4 address an IPv6 address stands for, where the network would route it there. */
function embeddedIPv4(addr: ipaddr.IPv6): ipaddr.IPv4 | 'forbidden' | null {
  const p = addr.parts;
  const at = (i: number): number => p[i] ?? 0;
  const v4 = (hi: number, lo: number): ipaddr.IPv4 => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const zeroUpTo = (n: number): boolean => p.slice(0, n).every((x) => x === 0);

  // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (SIIT, RFC 6145).
  if (zeroUpTo(5) && at(5) === 0xffff) return v4(at(6), at(7));
  if (zeroUpTo(4) && at(4) === 0xffff && at(5) === 0) return v4(at(6), at(7));
  // ::/96 holds ::, ::1 and the deprecated IPv4-compatible form: never a feed host.
  if (zeroUpTo(6)) return 'forbidden';
  // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052).
  if (at(0) === 0x64 && at(1) === 0xff9b && p.slice(2, 6).every((x) => x === 0)) return v4(at(6), at(7));
  // 6to4: 2002:AABB:CCDD::/48.
  if (at(0) === 0x2002) return v4(at(1), at(2));
  // Teredo 2001:0::/32: the client address is stored inverted; a private one is enough to refuse.
  if (at(0) === 0x2001 && at(1) === 0) {
    const server = v4(at(2), at(3));
    const client = v4(~at(6) & 0xffff, ~at(7) & 0xffff);
    return server.range() !== 'unicast' ? server : client;
  }
  return null;
}

/**
 * The canonical form of `host` if it is an IP literal in any spelling a URL parser
 * or an OS resolver accepts (`[::ffff:7f00:1]`, `2130706433`, `0x7f.1`,
 * `0177.0.0.1`, `127.1`, full-width digits), else null. IPv6 comes back without brackets.
 */
export function parseHostLiteral(host: string): string | null {
  let h = host.normalize('NFKC').trim().toLowerCase();
  if (h.includes('%') && !h.startsWith('[')) h = safeDecode(h);
  if (h.startsWith('[') && h.endsWith(']')) return parseIPv6(h.slice(1, -1));
  if (h.includes(':')) return parseIPv6(h);
  return parseIPv4(h.endsWith('.') ? h.slice(0, -1) : h);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parseIPv6(text: string): string | null {
  const hex = dottedTailToHex(text.replace(/%.*$/, ''));
  if (hex === null || !ipaddr.IPv6.isValid(hex)) return null;
  return ipaddr.IPv6.parse(hex).toRFC5952String();
}

/**
 * `::1.2.3.4` → `::102:304`. ipaddr.js would read `::a.b.c.d` as IPv4-mapped,
 * but it is the IPv4-compatible form, a different address.
 */
function dottedTailToHex(text: string): string | null {
  const match = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return text;
  const octets = match.slice(2).map(Number);
  if (octets.some((n) => n > 255)) return null;
  const [a = 0, b = 0, c = 0, d = 0] = octets;
  return `${match[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/** The WHATWG URL IPv4 parser, which is also what inet_aton accepts. */
function parseIPv4(text: string): string | null {
  const parts = text.split('.');
  if (parts.length > 4) return null;
  const numbers = parts.map(parseIPv4Number);
  if (numbers.some((n) => n === null)) return null;
  const values = numbers as number[];
  const last = values.pop() as number;
  if (values.some((n) => n > 255)) return null;
  if (last >= 256 ** (4 - values.length)) return null;
  let address = last;
  values.forEach((n, i) => {
    address += n * 256 ** (3 - i);
  });
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

function parseIPv4Number(part: string): number | null {
  if (part === '') return null;
  if (/^0x[0-9a-f]*$/.test(part)) return part.length === 2 ? 0 : parseInt(part.slice(2), 16);
  if (/^0[0-7]+$/.test(part)) return parseInt(part.slice(1), 8);
  if (/^(0|[1-9][0-9]*)$/.test(part)) return parseInt(part, 10);
  return null;
}

/** The Node resolver: every A and AAAA answer, as the OS would see them. Node only. */
export async function resolveWithNodeDns(host: string): Promise<string[]> {
  // Imported on demand so this module stays loadable on Workers.
  const dns = await import('node:dns/promises');
  const answers = await dns.lookup(host, { all: true, verbatim: true });
  return answers.map((answer) => answer.address);
}
