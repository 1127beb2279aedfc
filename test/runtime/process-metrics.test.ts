import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/http/metrics.ts';
import { registerProcessMetrics } from '../../src/runtime/process-metrics.ts';

describe('registerProcessMetrics', () => {
  it('writes the four memory gauges from one reading per scrape', async () => {
    const metrics = new Metrics();
    let readings = 0;
    registerProcessMetrics(metrics, () => {
      readings++;
      return { rss: 200 * 2 ** 20, heapUsed: 30 * 2 ** 20, heapTotal: 40 * 2 ** 20, external: 5 * 2 ** 20 };
    });
    const text = await metrics.render();
    expect(readings).toBe(1);
    expect(text).toContain(`process_resident_memory_bytes ${200 * 2 ** 20}\n`);
    expect(text).toContain(`nodejs_heap_size_used_bytes ${30 * 2 ** 20}\n`);
    expect(text).toContain(`nodejs_heap_size_total_bytes ${40 * 2 ** 20}\n`);
    expect(text).toContain(`nodejs_external_memory_bytes ${5 * 2 ** 20}\n`);
  });
});
