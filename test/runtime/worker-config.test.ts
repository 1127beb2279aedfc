import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledConfig } from '../../src/runtime/worker-config.ts';

const feedsDir = new URL('../../feeds/', import.meta.url);

describe('feeds/ bundled into the Worker', () => {
  it('holds every config file the Node runtime would read, with the same content', () => {
    const onDisk = readdirSync(feedsDir)
      .filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json'))
      .sort();
    expect(bundledConfig.map((doc) => doc.file)).toEqual(onDisk);
    for (const doc of bundledConfig) expect(doc.data).toEqual(JSON.parse(readFileSync(new URL(doc.file, feedsDir), 'utf8')));
  });
});
