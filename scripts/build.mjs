#!/usr/bin/env node
/**
 * Bundles the Node runtime (the CLI, `serve` included) into dist/chapar.mjs with esbuild, so the
 * server runs as plain JavaScript instead of through tsx's loader: measured here, an idle server
 * holds 103 MB instead of 147 MB. Dependencies stay in node_modules (packages external).
 *
 * `npm start` runs this first (prestart); bin/chapar.mjs uses the bundle only while it is newer
 * than every source file, so an edited source never runs stale code: it falls back to tsx.
 * A failed build is reported and leaves no bundle behind; it never stops `npm start`.
 *
 *   node scripts/build.mjs [--outdir DIR]
 */
import { cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = resolve(values.outdir ?? join(root, 'dist'));
const outfile = join(outdir, 'chapar.mjs');

try {
  const { build } = await import('esbuild');
  mkdirSync(outdir, { recursive: true });
  const { outputFiles } = await build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile,
    write: false,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    // CommonJS packages imported by name keep working: require() for the bundle's own use.
    banner: { js: "import { createRequire as __chaparRequire } from 'node:module'; const require = __chaparRequire(import.meta.url);" },
  });
  // src/db/sqlite.ts finds the migrations next to itself; in the bundle, next to chapar.mjs.
  // They go first, and each file lands by rename, so a process starting meanwhile (bin/chapar.mjs
  // checks only that the bundle is fresh) never loads half a file or a bundle without them.
  const migrations = join(outdir, 'migrations');
  const staged = `${migrations}.${process.pid}`;
  cpSync(join(root, 'src/db/migrations'), staged, { recursive: true });
  rmSync(migrations, { recursive: true, force: true });
  renameSync(staged, migrations);
  for (const file of [...outputFiles].sort((a) => (a.path === outfile ? 1 : -1))) {
    writeFileSync(`${file.path}.${process.pid}`, file.contents);
    renameSync(`${file.path}.${process.pid}`, file.path);
  }
} catch (error) {
  rmSync(outfile, { force: true });
  console.error(`chapar: could not build ${outfile} (${error instanceof Error ? error.message : error}); running the TypeScript sources through tsx instead`);
}
