#!/usr/bin/env node
// Runs dist/chapar.mjs, the bundle `npm start` builds (scripts/build.mjs), while it is newer than
// every source file; otherwise the TypeScript sources through tsx. So `npx chapar` needs no build
// step and never runs code older than the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/chapar.mjs`;

/** The newest modification time of any file under `dir`. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const fresh = existsSync(bundle) && statSync(bundle).mtimeMs >= Math.max(newest(`${root}src`), statSync(`${root}package.json`).mtimeMs);
let main;
if (fresh) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
