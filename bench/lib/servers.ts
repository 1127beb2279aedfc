/** Starts the servers under test as child processes: Chapar exactly as `npm start` does, and the bare baseline. */
import { spawn, type ChildProcess, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { onCore } from './proc.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The bootstrap admin token every bench server gets (CHAPAR_ADMIN_TOKEN). */
export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

export interface Running {
  pid: number;
  port: number;
  url: string;
  /** SIGTERM, then wait for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/** A port nothing listens on right now, so the server's CHAPAR_BASE_URL default names the real port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Waits for the `{"msg":"listening","port":N}` line both servers print, with a bounded wait. */
async function listening(child: ChildProcess, name: string, timeoutMs = 60_000): Promise<number> {
  let out = '';
  let err = '';
  child.stderr?.on('data', (d) => (err = (err + d).slice(-4000)));
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench: ${name} did not start within ${timeoutMs / 1000} s\n${err}`)), timeoutMs);
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /"msg":"listening".*?"port":(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        out = '';
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench: ${name} exited with ${code} before listening\n${err}`));
    });
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
}

async function start(name: string, args: string[], env: Record<string, string>, core: number | null): Promise<Running> {
  const [command, argv] = onCore(core, process.execPath, args);
  const child = spawn(command, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await listening(child, name).catch((error) => {
    child.kill('SIGKILL');
    throw error;
  });
  // Keep draining output so a chatty server can never block on a full pipe.
  child.stdout?.resume();
  // taskset execs node in place, so the child's pid is the server's.
  return { pid: child.pid!, port, url: `http://127.0.0.1:${port}`, stop: stopper(child) };
}

export interface ChaparOptions {
  db: string;
  configDir: string;
  core: number | null;
}

/**
 * `npm start`, i.e. its prestart `node scripts/build.mjs` (the bundle) and then `node bin/chapar.mjs
 * serve`, with the scheduler and access logs off.
 */
export async function startChapar(options: ChaparOptions): Promise<Running> {
  const build = spawnSync(process.execPath, [`${ROOT}scripts/build.mjs`], { encoding: 'utf8' });
  if (build.status !== 0 || build.stderr) throw new Error(`bench: scripts/build.mjs failed: ${build.stderr}`);
  const port = await freePort();
  return start(
    'chapar',
    ['bin/chapar.mjs', 'serve'],
    {
      PORT: String(port),
      CHAPAR_DB: options.db,
      CHAPAR_CONFIG_DIR: options.configDir,
      CHAPAR_CRON: 'off',
      CHAPAR_LOG_LEVEL: 'silent',
      CHAPAR_ADMIN_TOKEN: ADMIN_TOKEN,
      CHAPAR_FETCH_ALLOW_PRIVATE: 'true',
    },
    options.core,
  );
}

/** The bare Hono server of bench/baseline.ts, serving what `specFile` describes. */
export async function startBaseline(specFile: string, core: number | null): Promise<Running> {
  return start('baseline', ['--import', 'tsx', 'bench/baseline.ts', specFile], {}, core);
}
