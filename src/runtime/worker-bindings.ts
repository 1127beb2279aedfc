/**
 * The Worker's bindings and vars, checked once per isolate. The string settings go through
 * the same zod schema as the Node environment (src/runtime/env.ts), so a bad value reads
 * the same on both runtimes.
 */
import type { D1Database } from '@cloudflare/workers-types';
import { z } from 'zod';
import type { LogLevel } from '../http/observe.ts';
import { readEnv } from './env.ts';

const d1Binding = z.custom<D1Database>(
  (value) => typeof value === 'object' && value !== null && typeof (value as D1Database).prepare === 'function' && typeof (value as D1Database).batch === 'function',
);

const bindingsSchema = z.object({
  DB: d1Binding,
  /** How many due sources one cron invocation fetches (subrequest and CPU budget). */
  CHAPAR_TICK_SOURCES: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/, 'must be a number from 1 to 9999')
    .transform(Number)
    .default(20),
});

export interface WorkerSettings {
  db: D1Database;
  /** Null: follow the origin each request arrives on. */
  baseUrl: string | null;
  adminToken: string | null;
  allowPrivate: boolean;
  websubHubs: string[];
  logLevel: LogLevel | 'silent';
  tickSources: number;
}

export class BindingError extends Error {}

const STRING_SETTINGS = ['CHAPAR_BASE_URL', 'CHAPAR_ADMIN_TOKEN', 'CHAPAR_FETCH_ALLOW_PRIVATE', 'CHAPAR_WEBSUB_HUBS', 'CHAPAR_LOG_LEVEL'] as const;

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** Throws a BindingError whose message names the binding or var and says how to fix it. */
export function readBindings(env: Record<string, unknown>): WorkerSettings {
  const parsed = bindingsSchema.safeParse({ DB: env.DB, CHAPAR_TICK_SOURCES: text(env.CHAPAR_TICK_SOURCES) });
  if (!parsed.success) {
    const name = String(parsed.error.issues[0]!.path[0]);
    if (name === 'DB') {
      throw new BindingError('chapar: binding DB is missing or not a D1 database: add [[d1_databases]] with binding = "DB" to wrangler.toml');
    }
    throw new BindingError(`chapar: ${name}=${JSON.stringify(env[name])} ${parsed.error.issues[0]!.message}`);
  }
  let strings;
  try {
    strings = readEnv(Object.fromEntries(STRING_SETTINGS.map((name) => [name, text(env[name])])));
  } catch (error) {
    throw new BindingError((error as Error).message);
  }
  if (strings.CHAPAR_WEBSUB_HUBS.length > 0 && !text(env.CHAPAR_BASE_URL)) {
    // A cron tick has no request to take the origin from, and hubs need absolute feed URLs.
    throw new BindingError('chapar: CHAPAR_WEBSUB_HUBS needs CHAPAR_BASE_URL on Workers: set it to the public origin in wrangler.toml [vars]');
  }
  return {
    db: parsed.data.DB,
    baseUrl: text(env.CHAPAR_BASE_URL) ? strings.CHAPAR_BASE_URL : null,
    adminToken: strings.CHAPAR_ADMIN_TOKEN ?? null,
    allowPrivate: strings.CHAPAR_FETCH_ALLOW_PRIVATE,
    websubHubs: strings.CHAPAR_WEBSUB_HUBS,
    logLevel: strings.CHAPAR_LOG_LEVEL,
    tickSources: parsed.data.CHAPAR_TICK_SOURCES,
  };
}
