/** @jsxImportSource hono/jsx */
/**
 * Horizontal bar charts as inline SVG, drawn on the server: no script, nothing for the CSP to
 * allow, readable by screen readers through the title and the per-bar titles. Bars grow from
 * the right, next to their labels, as a right-to-left reader expects; with direction="rtl",
 * text-anchor="start" pins each label's right edge.
 */
import { toPersianDigits } from '../../core/persian.ts';

export interface Bar {
  label: string;
  value: number;
  href?: string;
  /** Drawn in the warning colour (failing sources). */
  bad?: boolean;
}

const WIDTH = 640;
const ROW = 30;
const LABEL_WIDTH = 200;
const VALUE_ROOM = 56;
const MAX_LABEL = 30;

const clip = (text: string) => (text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text);

export function BarChart(props: { title: string; bars: Bar[]; unit?: string; empty?: string }) {
  if (props.bars.length === 0) return <p class="muted">{props.empty ?? 'داده‌ای نیست · No data yet'}</p>;
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const plotRight = WIDTH - LABEL_WIDTH - 8;
  const span = plotRight - VALUE_ROOM;
  const height = props.bars.length * ROW + 4;
  const unit = props.unit ? ` ${props.unit}` : '';
  return (
    <svg class="chart" direction="rtl" viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} height={height} role="img" aria-label={props.title} xmlns="http://www.w3.org/2000/svg">
      <title>{props.title}</title>
      {props.bars.map((bar, i) => {
        const y = i * ROW + 2;
        const width = bar.value > 0 ? Math.max(2, Math.round((bar.value / max) * span)) : 0;
        const label = (
          <text x={WIDTH - 2} y={y + ROW / 2 + 4} text-anchor="start">
            {clip(bar.label)}
          </text>
        );
        return (
          <g>
            <title>{`${bar.label}: ${bar.value}${unit}`}</title>
            <rect class="track" x={VALUE_ROOM} y={y + 4} width={span} height={ROW - 8} rx={3} />
            <rect class={bar.bad ? 'bar bad' : 'bar'} x={plotRight - width} y={y + 4} width={width} height={ROW - 8} rx={3} />
            <text class="value" x={plotRight - width - 6} y={y + ROW / 2 + 4} text-anchor="start">
              {toPersianDigits(String(bar.value))}
            </text>
            {bar.href ? <a href={bar.href}>{label}</a> : label}
          </g>
        );
      })}
    </svg>
  );
}
