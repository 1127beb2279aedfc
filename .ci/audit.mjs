#!/usr/bin/env node
// `npm audit --omit=dev --audit-level=high` for CI: exits 1 on high or critical findings in the
// production dependencies, 0 when there are none. A registry that does not offer the audit
// endpoint (npm's own answers 405 on some mirrors and proxies) or that cannot be reached for it
// is not a finding: that prints a loud warning saying the audit did not run, and exits 0.
// Anything else npm says that this script does not recognise fails, so no finding is swallowed.
// CHAPAR_AUDIT_NPM replaces the npm executable (the tests point it at fake ones).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ARGS = ['audit', '--omit=dev', '--audit-level=high', '--json'];
/** Answers that mean "this registry has no audit endpoint" rather than "the audit failed". */
const NO_ENDPOINT_STATUS = new Set([404, 405, 501]);
/** Network errors that mean the audit endpoint cannot be reached from here at all. */
const UNREACHABLE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENETUNREACH|EHOSTUNREACH)\b/;

const npm = process.env.CHAPAR_AUDIT_NPM || 'npm';
const run = spawnSync(npm, ARGS, { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
process.exit(verdict(run));

function verdict({ status, stdout, stderr, error }) {
  const command = `npm ${ARGS.join(' ')}`;
  if (error) return fail(`could not run ${command}: ${error.message}`);
  const answer = parseJson(stdout);
  const counts = answer?.metadata?.vulnerabilities;

  if (counts && typeof counts === 'object') {
    const summary = ['critical', 'high', 'moderate', 'low', 'info'].map((s) => `${counts[s] ?? 0} ${s}`).join(', ');
    if (status === 0) {
      console.log(`audit: no high or critical findings in production dependencies (${summary})`);
      return 0;
    }
    const serious = Object.values(answer.vulnerabilities ?? {}).filter((v) => v.severity === 'high' || v.severity === 'critical');
    for (const v of serious) console.error(`audit: ${v.severity} ${v.name}${v.range ? ` ${v.range}` : ''}: ${advisories(v)}`);
    return fail(`production dependencies have known vulnerabilities (${summary}); run npm audit --omit=dev for details and fixes`);
  }

  const endpoint = typeof answer?.uri === 'string' && answer.uri.includes('/-/npm/v1/security/');
  if (status !== 0 && endpoint && (NO_ENDPOINT_STATUS.has(answer.statusCode) || (answer.statusCode === undefined && UNREACHABLE.test(answer.message ?? '')))) {
    const banner = '!'.repeat(78);
    console.warn(
      [
        banner,
        'WARNING: the dependency audit DID NOT RUN; no vulnerability check was made.',
        `The registry's audit endpoint is not available: ${answer.message}`,
        'CI goes on because that is the registry, not a finding. To check, run',
        '`npm audit --omit=dev` where the registry answers its audit endpoint.',
        banner,
      ].join('\n'),
    );
    return 0;
  }

  if (status === 0) {
    console.log('audit: npm audit found nothing to report');
    return 0;
  }
  return fail(`${command} exited ${status} with an answer this script does not recognise:\n${stdout}${stderr}`);
}

function advisories(vulnerability) {
  const via = (vulnerability.via ?? []).map((v) => (typeof v === 'string' ? `via ${v}` : `${v.title ?? 'advisory'}${v.url ? ` (${v.url})` : ''}`));
  return via.length > 0 ? via.join('; ') : 'see npm audit';
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function fail(message) {
  console.error(`audit: ${message}`);
  return 1;
}
