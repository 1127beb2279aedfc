import type { Repos } from './db/repos/index.ts';
import type { Metrics } from './http/metrics.ts';
import type { Logger } from './http/observe.ts';

export interface AppConfig {
  /** Public origin without a trailing slash, e.g. `https://chapar.example`. */
  baseUrl: string;
  websubHubs: string[];
  version: string;
}

/** Everything the app needs from its runtime; built by src/runtime/*. */
export interface AppDeps {
  repos: Repos;
  config: AppConfig;
  now?: () => Date;
  /** Prometheus registry shared with the runtime's own gauges; one is made when absent. */
  metrics?: Metrics;
  /** Structured logger; silent when absent (tests). */
  log?: Logger;
}

export type AppEnv = {
  Variables: {
    tokenId: number;
  };
};
