import { describe, expect, it } from 'vitest';
import { checkUrl, FetchRefusedError, isForbiddenAddress, parseHostLiteral } from '../../src/ingest/ssrf.ts';
import type { Resolve } from '../../src/ingest/ssrf.ts';

describe('isForbiddenAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.255',
    '0.0.0.0',
    '0.1.2.3',
    '255.255.255.255',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '192.0.0.8',
    '192.0.2.1',
    '198.51.100.7',
    '203.0.113.9',
    '198.18.0.1',
    '::',
    '::1',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '2001:db8::1',
    '::ffff:7f00:1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:0:a9fe:a9fe',
    '::7f00:1',
    '::8.8.8.8',
    '64:ff9b::7f00:1',
    '64:ff9b::a00:1',
    '64:ff9b:1::1',
    '2002:7f00:1::1',
    '2002:c0a8:101::',
    '2001:0:4136:e378:8000:63bf:80ff:fffe',
    'not an address',
    '',
  ])('refuses %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '2001:0:4136:e378:8000:63bf:f7f7:f7f7',
  ])('allows %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });
});

describe('parseHostLiteral', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0x7F.0x0.0x0.0x1', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['017700000001', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['127.0.1', '127.0.0.1'],
    ['127.0.0.1.', '127.0.0.1'],
    ['0', '0.0.0.0'],
    ['0x', '0.0.0.0'],
    ['%31%32%37.0.0.1', '127.0.0.1'],
    ['１２７.０.０.１', '127.0.0.1'],
    ['169.254.43518', '169.254.169.254'],
    ['[::1]', '::1'],
    ['[::ffff:7f00:1]', '::ffff:7f00:1'],
    ['[::FFFF:127.0.0.1]', '::ffff:7f00:1'],
    ['::ffff:7f00:1', '::ffff:7f00:1'],
    ['[fe80::1%25eth0]', 'fe80::1'],
    ['[2606:4700:4700:0:0:0:0:1111]', '2606:4700:4700::1111'],
  ])('%s → %s', (host, literal) => {
    expect(parseHostLiteral(host)).toBe(literal);
  });

  it.each(['example.com', 'localhost', '127.0.0.1.nip.io', '1.2.3.4.5', '4294967296', '256.0.0.1', '09.0.0.1', '0x7g.1', '1..2', '[not-v6]', ''])(
    '%s is not a literal',
    (host) => {
      expect(parseHostLiteral(host)).toBeNull();
    },
  );

  it('agrees with what WHATWG URL makes of each spelling', () => {
    // new URL() already rewrites most IPv4 spellings to dotted form; both paths must reach the same address.
    for (const spelling of ['2130706433', '0x7f.1', '0177.0.0.1', '127.1', '0x7f000001', '%31%32%37.0.0.1', '１２７.０.０.１', '127.0.0.1.']) {
      const hostname = new URL(`http://${spelling}/`).hostname;
      expect(hostname).toBe('127.0.0.1');
      expect(parseHostLiteral(spelling)).toBe('127.0.0.1');
    }
    // …but IPv6 keeps its brackets and its hex form.
    expect(new URL('http://[::ffff:127.0.0.1]/').hostname).toBe('[::ffff:7f00:1]');
    expect(parseHostLiteral(new URL('http://[::ffff:127.0.0.1]/').hostname)).toBe('::ffff:7f00:1');
  });
});

async function refusal(url: string, opts: Parameters<typeof checkUrl>[1]): Promise<FetchRefusedError> {
  const err = await checkUrl(new URL(url), opts).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchRefusedError);
  return err as FetchRefusedError;
}

const publicDns: Resolve = async () => ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'];

describe('checkUrl', () => {
  it.each(['file:///etc/passwd', 'ftp://example.com/feed', 'gopher://example.com/', 'data:text/xml,<rss/>', 'javascript:alert(1)', 'ws://example.com/'])(
    'refuses the scheme of %s, even with allowPrivate',
    async (url) => {
      const err = await refusal(url, { allowPrivate: true });
      expect(err.message).toMatch(/^fetch: refusing .*: only http and https/);
    },
  );

  it('refuses credentials in the address and hides the password', async () => {
    const err = await refusal('https://user:s3cret@example.com/feed', { allowPrivate: true });
    expect(err.message).toContain('user name or password');
    expect(err.message).not.toContain('s3cret');
  });

  it.each([
    'http://127.0.0.1/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://0177.0.0.1/',
    'http://127.1:8080/',
    'http://[::ffff:7f00:1]/',
    'http://[::1]/',
    'http://[::]/',
    'http://0.0.0.0/',
    'http://10.0.0.5/feed',
    'http://192.168.1.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00::1]/',
    'http://[64:ff9b::a9fe:a9fe]/',
  ])('refuses the private literal %s without asking DNS', async (url) => {
    let asked = false;
    const err = await refusal(url, {
      allowPrivate: false,
      resolve: async () => {
        asked = true;
        return ['93.184.216.34'];
      },
    });
    expect(err.message).toMatch(/private or reserved address; set CHAPAR_FETCH_ALLOW_PRIVATE=true/);
    expect(asked).toBe(false);
  });

  it.each(['http://localhost/', 'http://LOCALHOST:8080/', 'http://localhost./', 'http://api.localhost/', 'http://printer.local/', 'http://metadata.google.internal/', 'http://intranet/', 'http://router.home.arpa/'])(
    'refuses the local name %s even without a resolver (Workers)',
    async (url) => {
      const err = await refusal(url, { allowPrivate: false });
      expect(err.message).toContain('is a local host name');
    },
  );

  it('refuses a name that resolves to loopback, or to any private address among public ones', async () => {
    const loopback = await refusal('https://feeds.example.com/rss', { allowPrivate: false, resolve: async () => ['127.0.0.1'] });
    expect(loopback.message).toContain('feeds.example.com resolves to 127.0.0.1');
    await refusal('https://feeds.example.com/rss', { allowPrivate: false, resolve: async () => ['93.184.216.34', '::1'] });
    await refusal('https://feeds.example.com/rss', { allowPrivate: false, resolve: async () => ['::ffff:10.0.0.1'] });
  });

  it('refuses a name that does not resolve, or resolves to nothing', async () => {
    const failed = await refusal('https://nx.example/rss', {
      allowPrivate: false,
      resolve: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND nx.example'), { code: 'ENOTFOUND' });
      },
    });
    expect(failed.message).toContain('does not resolve (ENOTFOUND)');
    await refusal('https://empty.example/rss', { allowPrivate: false, resolve: async () => [] });
  });

  it('passes public hosts and literals; without a resolver names are taken on trust', async () => {
    await expect(checkUrl(new URL('https://feeds.example.com/rss'), { allowPrivate: false, resolve: publicDns })).resolves.toBeUndefined();
    await expect(checkUrl(new URL('http://8.8.8.8/'), { allowPrivate: false })).resolves.toBeUndefined();
    await expect(checkUrl(new URL('http://[2606:4700:4700::1111]/'), { allowPrivate: false })).resolves.toBeUndefined();
    await expect(checkUrl(new URL('https://feeds.example.com/rss'), { allowPrivate: false })).resolves.toBeUndefined();
  });

  it('allowPrivate lifts the address and name checks', async () => {
    for (const url of ['http://127.0.0.1:8080/', 'http://[::1]/', 'http://localhost/', 'http://10.0.0.1/']) {
      await expect(checkUrl(new URL(url), { allowPrivate: true, resolve: async () => ['127.0.0.1'] })).resolves.toBeUndefined();
    }
  });
});
