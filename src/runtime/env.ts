import { z } from 'zod';

/** The contract's environment, read once at start. A bad value stops the start with one line naming it. */
const schema = z.object({
  PORT: z
    .string()
    .regex(/^[0-9]{1,5}$/, 'must be a port number from 0 to 65535')
    .transform(Number)
    .pipe(z.number().max(65535, 'must be a port number from 0 to 65535'))
    .default(8787),
  CHAPAR_DB: z.string().min(1, 'must be a file path or :memory:').default('./data/chapar.db'),
  CHAPAR_BASE_URL: z
    .string()
    .regex(/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/, 'must be an http(s) origin such as https://feeds.example.org')
    .transform((s) => s.replace(/\/+$/, ''))
    .optional(),
  CHAPAR_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  CHAPAR_CONFIG_DIR: z.string().min(1).default('./feeds'),
  CHAPAR_FETCH_ALLOW_PRIVATE: z.enum(['true', 'false'], 'must be true or false').default('false').transform((v) => v === 'true'),
  CHAPAR_CRON: z.string().min(1).default('*/5 * * * *'),
  CHAPAR_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent'], 'must be one of debug, info, warn, error, silent').default('info'),
  CHAPAR_WEBSUB_HUBS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((h) => h.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be comma-separated http(s) URLs' }))),
});

export type Env = z.output<typeof schema> & { CHAPAR_BASE_URL: string };

export class EnvError extends Error {}

export function readEnv(env: Record<string, string | undefined>): Env {
  // An empty variable counts as unset, as shells and .env files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new EnvError(`chapar: ${name}=${JSON.stringify(present[name] ?? '')} ${issue.message}`);
  }
  return { ...parsed.data, CHAPAR_BASE_URL: parsed.data.CHAPAR_BASE_URL ?? `http://localhost:${parsed.data.PORT}` };
}
