/**
 * Stands in for `fs` in the Worker bundle (wrangler.toml [alias]). Only postcss names it, through
 * sanitize-html, to read source maps from disk, which Chapar never asks of it; a Worker has no
 * disk, and this keeps any file-system module out of the bundle.
 */
export function existsSync(): boolean {
  return false;
}

export function readFileSync(): never {
  throw new Error('worker: there is no file system on Workers');
}
