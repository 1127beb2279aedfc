/**
 * The part of `cloudflare:test` these tests use, typed with the module form of
 * @cloudflare/workers-types (as src/runtime/worker.ts is), so the root tsconfig checks
 * test/workers with everything else. The package's own declarations need the Workers globals,
 * which clash with the DOM lib the rest of the project compiles against.
 */
declare module 'cloudflare:test' {
  import type { D1Database, ExecutionContext, ScheduledController } from '@cloudflare/workers-types';

  export interface D1Migration {
    name: string;
    queries: string[];
  }

  /** wrangler.toml's bindings and vars, plus what vitest.config.ts adds for the tests. */
  export const env: {
    DB: D1Database;
    CHAPAR_BASE_URL: string;
    CHAPAR_WEBSUB_HUBS: string;
    CHAPAR_FETCH_ALLOW_PRIVATE: string;
    CHAPAR_ADMIN_TOKEN: string;
    CHAPAR_LOG_LEVEL: string;
    TEST_MIGRATIONS: D1Migration[];
  };

  /** The `main` Worker (src/runtime/worker.ts), in the tests' own isolate. */
  export const SELF: { fetch(input: string | Request, init?: RequestInit): Promise<Response> };

  export function applyD1Migrations(db: D1Database, migrations: D1Migration[], migrationsTableName?: string): Promise<void>;
  /** Deletes everything in every binding of this test file. */
  export function reset(): Promise<void>;
  export function createExecutionContext(): ExecutionContext;
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>;
  export function createScheduledController(options?: { scheduledTime?: Date | number; cron?: string }): ScheduledController;
}
