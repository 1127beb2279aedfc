/**
 * The Node process's memory on /metrics, under the names prom-client gives them, so the usual
 * Node dashboards read them as they are. Split so a growing RSS can be told apart: V8's heap
 * (JavaScript objects), external (Buffers and other memory V8 objects hold), and the rest of the
 * resident set (SQLite's page cache and allocations among it).
 */
import type { Metrics } from '../http/metrics.ts';

type Usage = () => Pick<NodeJS.MemoryUsage, 'rss' | 'heapUsed' | 'heapTotal' | 'external'>;

export function registerProcessMetrics(metrics: Metrics, usage: Usage = () => process.memoryUsage()): void {
  // One reading serves the four gauges of a scrape (process.memoryUsage walks V8's heap spaces).
  let last: { at: number; value: ReturnType<Usage> } | null = null;
  const read = () => {
    const at = Date.now();
    if (!last || at - last.at > 100) last = { at, value: usage() };
    return last.value;
  };
  const gauge = (name: string, help: string, field: keyof ReturnType<Usage>) =>
    metrics.gauge(name, help, () => [{ labels: {}, value: read()[field] }]);
  gauge('process_resident_memory_bytes', 'Resident memory size in bytes', 'rss');
  gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes', 'heapUsed');
  gauge('nodejs_heap_size_total_bytes', 'V8 heap reserved, in bytes', 'heapTotal');
  gauge('nodejs_external_memory_bytes', 'Memory held outside the V8 heap by JavaScript objects (Buffers among it), in bytes', 'external');
}
