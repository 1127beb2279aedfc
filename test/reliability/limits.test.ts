import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TARGET_LENGTH } from '../../src/http/limits.ts';
import { PROBLEM_TYPE } from '../../src/http/problem.ts';
import { startServer, type RunningServer } from '../../src/runtime/node.ts';
import { BASE_URL, testApp } from '../helpers/app.ts';

/** A request target of exactly `length` characters: /healthz and a padded query. */
const target = (length: number) => {
  const head = '/healthz?pad=';
  return head + 'a'.repeat(length - head.length);
};

/** Node's own default header limit (request line and headers together), unless --max-http-header-size says otherwise. */
const NODE_HEADER_LIMIT = 16 * 1024;

describe('URL length (app.request)', () => {
  it('answers a target of exactly the limit as usual', async () => {
    const t = await testApp();
    try {
      expect(MAX_TARGET_LENGTH).toBeLessThan(NODE_HEADER_LIMIT);
      const res = await t.get(target(MAX_TARGET_LENGTH));
      expect(res.status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('answers a longer one with 414 and a problem document', async () => {
    const t = await testApp();
    try {
      const res = await t.get(target(MAX_TARGET_LENGTH + 1));
      expect(res.status).toBe(414);
      expect(res.headers.get('content-type')).toBe(PROBLEM_TYPE);
      expect(await res.json()).toEqual({
        type: 'about:blank',
        title: 'URI Too Long',
        status: 414,
        detail: `request targets (path and query) are limited to ${MAX_TARGET_LENGTH} characters, this one has ${MAX_TARGET_LENGTH + 1}; shorten the query`,
      });
    } finally {
      await t.close();
    }
  });

  it('runs before every route, the admin API and its bearer check included', async () => {
    const t = await testApp();
    try {
      const long = 'x'.repeat(MAX_TARGET_LENGTH);
      for (const res of [await t.get(`/feeds/${long}.rss`), await t.get(`/s/${long}`), await t.app.request(`${BASE_URL}/api/v1/sources?q=${long}`)]) {
        expect(res.status).toBe(414);
        expect(res.headers.get('content-type')).toBe(PROBLEM_TYPE);
      }
    } finally {
      await t.close();
    }
  });
});

/** Sends `request` as it is over a fresh socket and resolves with the answer's status line and body. */
function rawRequest(port: number, request: string): Promise<{ statusLine: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (answer += chunk));
    // Node may reset the connection after its 431; what it answered first still counts.
    socket.on('error', (error) => (answer === '' ? reject(error) : undefined));
    socket.on('close', () => {
      const [head = '', body = ''] = answer.split('\r\n\r\n', 2);
      resolve({ statusLine: head.split('\r\n')[0] ?? '', body });
    });
    socket.end(request);
  });
}

describe('the Node server', () => {
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chapar-limits-'));
    server = await startServer({ PORT: '0', CHAPAR_DB: ':memory:', CHAPAR_CONFIG_DIR: dir, CHAPAR_CRON: 'off', CHAPAR_LOG_LEVEL: 'silent' }, () => {});
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`;

  it('answers a URL over the app limit, but under Node\'s, with the 414 problem document', async () => {
    const res = await fetch(`${server.url}${target(MAX_TARGET_LENGTH + 2048)}`);
    expect(res.status).toBe(414);
    expect(res.headers.get('content-type')).toBe(PROBLEM_TYPE);
    expect(await res.json()).toMatchObject({ title: 'URI Too Long', status: 414 });
  });

  it('refuses more than 16 KiB of headers with 431 from Node, and keeps serving', async () => {
    const big = { 'x-padding-1': 'a'.repeat(9 * 1024), 'x-padding-2': 'b'.repeat(9 * 1024) };
    const refused = await rawRequest(server.port, get('/healthz', big));
    expect(refused.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');

    // Just under the limit is still a request like any other.
    const fits = await rawRequest(server.port, get('/healthz', { 'x-padding': 'c'.repeat(NODE_HEADER_LIMIT - 1024) }));
    expect(fits.statusLine).toBe('HTTP/1.1 200 OK');

    const after = await fetch(`${server.url}/healthz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ status: 'ok' });
  });

  it('a request line longer than Node\'s header limit gets Node\'s 431 (the app never sees it), and the server keeps serving', async () => {
    const refused = await rawRequest(server.port, get(target(NODE_HEADER_LIMIT + 1024)));
    expect(refused.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('many oversized requests at once leave the server serving', async () => {
    const big = { 'x-padding': 'd'.repeat(NODE_HEADER_LIMIT + 1024) };
    const answers = await Promise.all(Array.from({ length: 20 }, () => rawRequest(server.port, get('/healthz', big))));
    for (const a of answers) expect(a.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
