/** A small Prometheus text-format registry: counters kept in memory, gauges collected at scrape time. */
export type Labels = Record<string, string>;

interface Series {
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, number>;
}

type Collector = () => Promise<{ labels: Labels; value: number }[]> | { labels: Labels; value: number }[];

const labelKey = (labels: Labels) =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');

export class Metrics {
  private readonly series = new Map<string, Series>();
  private readonly collectors = new Map<string, { help: string; collect: Collector }>();

  /**
   * A counter with fixed label names; the returned function takes the values in that order.
   * Counted on hot paths, so each distinct set of values is turned into its text form once.
   */
  counter(name: string, help: string, labelNames: readonly string[] = []): (values?: readonly string[], by?: number) => void {
    const series: Series = this.series.get(name) ?? { help, type: 'counter', values: new Map() };
    this.series.set(name, series);
    const keys = new Map<string, string>();
    return (values = [], by = 1) => {
      const joined = values.join('\u0000');
      let key = keys.get(joined);
      if (key === undefined) {
        key = labelKey(Object.fromEntries(labelNames.map((label, i) => [label, values[i] ?? ''])));
        keys.set(joined, key);
      }
      series.values.set(key, (series.values.get(key) ?? 0) + by);
    };
  }

  /** A gauge read when /metrics is scraped, e.g. a queue depth or a database count. */
  gauge(name: string, help: string, collect: Collector): void {
    this.collectors.set(name, { help, collect });
  }

  async render(): Promise<string> {
    const lines: string[] = [];
    for (const [name, s] of this.series) {
      lines.push(`# HELP ${name} ${s.help}`, `# TYPE ${name} ${s.type}`);
      for (const [key, value] of s.values) lines.push(`${name}${key ? `{${key}}` : ''} ${value}`);
    }
    for (const [name, { help, collect }] of this.collectors) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
      for (const { labels, value } of await collect()) {
        const key = labelKey(labels);
        lines.push(`${name}${key ? `{${key}}` : ''} ${value}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}
