/**
 * Wall-clock time in IANA zones through Intl alone (no dependency; works on Node and Workers),
 * with each zone's history: Tehran kept +04:30 summers until 2022.
 */
const DAY = 86_400_000;

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`dates: unknown time zone "${timeZone}"; use an IANA name such as Asia/Tehran`);
    }
    zoneFormats.set(timeZone, format);
  }
  return format;
}

/** Throws a RangeError naming the zone unless Intl knows it. */
export function assertTimeZone(timeZone: string): void {
  zoneFormat(timeZone);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    zoneFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds of a wall-clock reading taken as if it were UTC; works for years < 100 too. */
export function wallMs(y: number, m: number, d: number, hh: number, mm: number, ss: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  date.setUTCHours(hh, mm, ss, 0);
  return date.getTime();
}

/** Wall clock minus UTC, in ms, in timeZone at instant t. */
export function offsetAt(t: number, timeZone: string): number {
  const p: Record<string, string> = {};
  for (const part of zoneFormat(timeZone).formatToParts(new Date(t))) p[part.type] = part.value;
  const year = p.era === 'BC' ? 1 - Number(p.year) : Number(p.year);
  const wall = wallMs(year, Number(p.month), Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(t / 1000) * 1000;
}

/**
 * A wall-clock time in an IANA zone → the UTC instant, honouring the zone's
 * history (Tehran kept +04:30 summers until 2022). Fields roll over like
 * Date.UTC. Ambiguity is settled as Temporal's "compatible" does: in an
 * overlap the earlier instant wins; a time skipped by a gap moves forward by
 * the gap's length (00:30 on a 00:00→01:00 night reads as 01:30).
 * Throws RangeError on an unknown zone.
 */
export function zonedToUtc(
  y: number,
  m: number,
  d: number,
  hh: number,
  mm: number,
  ss: number,
  timeZone: string,
): Date {
  const wall = wallMs(y, m, d, hh, mm, ss);
  // A day either side sees the offsets in force before and after any
  // transition near this wall time.
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const candidates = [wall - before, wall - after]
    .filter((t) => offsetAt(t, timeZone) === wall - t)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? wall - before);
}
