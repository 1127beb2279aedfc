import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const script = new URL('../../.ci/audit.mjs', import.meta.url).pathname;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs .ci/audit.mjs with a fake npm that prints `stdout` and exits with `exit`, as npm audit --json would. */
function audit(answer: { stdout: string; stderr?: string; exit: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'chapar-audit-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'stdout'), answer.stdout);
  writeFileSync(join(dir, 'stderr'), answer.stderr ?? '');
  const npm = join(dir, 'npm');
  writeFileSync(npm, `#!/bin/sh\nprintf '%s\\n' "$@" > '${dir}/args'\ncat '${dir}/stdout'\ncat '${dir}/stderr' >&2\nexit ${answer.exit}\n`);
  chmodSync(npm, 0o755);
  const run = spawnSync(process.execPath, [script], { env: { ...process.env, CHAPAR_AUDIT_NPM: npm }, encoding: 'utf8' });
  const args = readFileSync(join(dir, 'args'), 'utf8').trim().split('\n');
  return { status: run.status, out: run.stdout, err: run.stderr, args };
}

const counts = (c: Partial<Record<'info' | 'low' | 'moderate' | 'high' | 'critical', number>>) => {
  const all = { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...c };
  return { ...all, total: Object.values(all).reduce((a, b) => a + b, 0) };
};

/** The shape of `npm audit --json` (auditReportVersion 2) with one advisory per named package. */
function report(vulnerable: { name: string; severity: 'low' | 'moderate' | 'high' | 'critical' }[]) {
  const vulnerabilities = Object.fromEntries(
    vulnerable.map(({ name, severity }) => [
      name,
      {
        name,
        severity,
        isDirect: false,
        via: [{ source: 1097678, name, dependency: name, title: `Prototype Pollution in ${name}`, url: 'https://github.com/advisories/GHSA-xvch-5gv4-984h', severity, range: '<1.2.6' }],
        effects: [],
        range: '<1.2.6',
        nodes: [`node_modules/${name}`],
        fixAvailable: true,
      },
    ]),
  );
  const tally: Record<string, number> = {};
  for (const { severity } of vulnerable) tally[severity] = (tally[severity] ?? 0) + 1;
  return JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: counts(tally), dependencies: { prod: 80, dev: 0, optional: 0, peer: 0, peerOptional: 0, total: 80 } } }, null, 2);
}

/** What npm 11 prints with --json when the registry answers the advisories endpoint with `status` (this network: 405). */
const REASONS: Record<number, string> = { 404: 'Not Found', 405: 'Method Not Allowed', 501: 'Not Implemented' };
function endpointError(statusCode: number, message = `${statusCode} ${REASONS[statusCode]} - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk`) {
  return JSON.stringify(
    { message, method: 'POST', uri: 'https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', headers: { allow: ['GET,HEAD'] }, statusCode, body: '', error: { summary: '', detail: '' } },
    null,
    2,
  );
}
const NPM_ENDPOINT_STDERR = 'npm warn audit 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk\nnpm error audit endpoint returned an error\n';

describe('.ci/audit.mjs', () => {
  it('asks npm for a JSON audit of production dependencies at level high', () => {
    const { args } = audit({ stdout: report([]), exit: 0 });
    expect(args).toEqual(['audit', '--omit=dev', '--audit-level=high', '--json']);
  });

  it('passes a clean audit', () => {
    const run = audit({ stdout: report([]), exit: 0 });
    expect(run.status).toBe(0);
    expect(run.out).toMatch(/no high or critical findings/);
  });

  it('passes when only findings below high are reported (npm exits 0 for them at --audit-level=high)', () => {
    const run = audit({ stdout: report([{ name: 'lodash', severity: 'moderate' }]), exit: 0 });
    expect(run.status).toBe(0);
    expect(run.out).toMatch(/1 moderate/);
  });

  it.each(['high', 'critical'] as const)('fails on a %s finding and names it', (severity) => {
    const run = audit({ stdout: report([{ name: 'minimist', severity }, { name: 'lodash', severity: 'low' }]), exit: 1 });
    expect(run.status).toBe(1);
    expect(run.err).toMatch(new RegExp(`audit: ${severity} minimist <1\\.2\\.6: Prototype Pollution in minimist \\(https://github\\.com/advisories/`));
    expect(run.err).toMatch(/production dependencies have known vulnerabilities/);
    expect(run.err).not.toMatch(/DID NOT RUN/);
  });

  it.each([404, 405, 501])('warns loudly and passes when the registry answers the audit endpoint with %i', (statusCode) => {
    const run = audit({ stdout: endpointError(statusCode), stderr: NPM_ENDPOINT_STDERR, exit: 1 });
    expect(run.status).toBe(0);
    expect(run.err).toMatch(/WARNING: the dependency audit DID NOT RUN/);
    expect(run.err).toContain(`${statusCode} ${REASONS[statusCode]} - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk`);
  });

  it('warns and passes when the audit endpoint cannot be reached (no DNS for it)', () => {
    const message = 'request to https://audit.example/-/npm/v1/security/advisories/bulk failed, reason: getaddrinfo ENOTFOUND audit.example';
    const stdout = JSON.stringify({ message, method: 'POST', uri: 'https://audit.example/-/npm/v1/security/advisories/bulk', error: { summary: '', detail: '' } });
    const run = audit({ stdout, exit: 1 });
    expect(run.status).toBe(0);
    expect(run.err).toMatch(/DID NOT RUN/);
    expect(run.err).toContain('ENOTFOUND');
  });

  it.each([
    ['a server error from the audit endpoint', endpointError(503, '503 Service Unavailable - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk')],
    ['a refused token', endpointError(401, '401 Unauthorized - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk')],
    ['a 405 from some other URL', JSON.stringify({ message: '405 Method Not Allowed', uri: 'https://registry.npmjs.org/other', statusCode: 405 })],
    ['a missing lockfile', JSON.stringify({ error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.', detail: '' } })],
    ['no JSON at all', 'Segmentation fault'],
  ])('fails on anything else: %s', (_, stdout) => {
    const run = audit({ stdout, exit: 1 });
    expect(run.status).toBe(1);
    expect(run.err).not.toMatch(/DID NOT RUN/);
    expect(run.err).toMatch(/answer this script does not recognise/);
  });

  it('fails when npm itself cannot be started', () => {
    const run = spawnSync(process.execPath, [script], { env: { ...process.env, CHAPAR_AUDIT_NPM: '/nonexistent/npm' }, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^audit: could not run npm audit/);
  });
});

describe('.ci/run', () => {
  it('runs the audit after npm ci and before npm test, and keeps both', () => {
    const lines = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith(' '));
    const at = (line: string) => lines.indexOf(line);
    expect(at('npm ci --no-audit --no-fund')).toBeGreaterThan(-1);
    expect(at('node .ci/audit.mjs')).toBe(at('npm ci --no-audit --no-fund') + 1);
    expect(at('npm test')).toBe(at('node .ci/audit.mjs') + 1);
  });
});
