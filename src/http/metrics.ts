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

  counter(name: string, help: string): (labels?: Labels, by?: number) => void {
    const series: Series = this.series.get(name) ?? { help, type: 'counter', values: new Map() };
    this.series.set(name, series);
    return (labels = {}, by = 1) => {
      const key = labelKey(labels);
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
