import type { Repos } from './db/repos/index.ts';

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
}

export type AppEnv = {
  Variables: {
    tokenId: number;
  };
};
