// The one date reader for the ingest side. Every shape is recognised by an
// explicit grammar here; nothing falls through to `new Date(string)`, whose
// leniency turns Jalali dates into Gregorian year 1393 and junk like "1" into
// 2001.
import { normaliseKey } from './persian.ts';
import { JALALI_MONTH_KEYS, JALALI_WEEKDAY_KEYS, isValidJalaliDate, jalaliToGregorian } from './jalali.ts';
import { assertTimeZone, isValidTimeZone, offsetAt, wallMs, zonedToUtc } from './zones.ts';

export { isValidTimeZone, zonedToUtc };

export const TEHRAN = 'Asia/Tehran';

export interface ParseDateOptions {
  /** Zone for strings that carry none (IANA name). */
  timeZone?: string;
  /** The clock for relative forms («۲ ساعت پیش», «دیروز»); defaults to the real one. */
  now?: Date;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

// A four-digit year below this is a Jalali date that reached us in Gregorian
// clothing (1393/05/28, 1403-07-03T10:30:00). Jalali years below 1000 are
// junk such as Go's zero time (0001-01-01) and are refused.
const GREGORIAN_FROM = 1700;
const JALALI_FROM = 1000;

interface Fields {
  y: number;
  m: number;
  d: number;
  hh: number;
  mm: number;
  ss: number;
  ms: number;
  /** Minutes east of UTC written in the string; null when it names no zone. */
  offset: number | null;
  /** Named as Jalali by its month names; a small year makes it Jalali too. */
  jalali: boolean;
}

const isLeapGregorian = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function gregorianMonthLength(y: number, m: number): number {
  if (m === 2) return isLeapGregorian(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function toInstant(f: Fields, opts: ParseDateOptions): Date | null {
  if (f.hh > 23 || f.mm > 59 || f.ss > 59) return null;
  const jalali = f.jalali || f.y < GREGORIAN_FROM;
  let { y, m, d } = f;
  if (jalali) {
    if (y < JALALI_FROM || !isValidJalaliDate(y, m, d)) return null;
    ({ gy: y, gm: m, gd: d } = jalaliToGregorian(y, m, d));
  } else if (y > 9999 || m < 1 || m > 12 || d < 1 || d > gregorianMonthLength(y, m)) {
    return null;
  }
  if (f.offset !== null) {
    return new Date(wallMs(y, m, d, f.hh, f.mm, f.ss) - f.offset * MINUTE + f.ms);
  }
  const zone = opts.timeZone ?? (jalali ? TEHRAN : 'UTC');
  return new Date(zonedToUtc(y, m, d, f.hh, f.mm, f.ss, zone).getTime() + f.ms);
}

/** Milliseconds from a fraction-of-a-second digit string, truncated. */
const fractionMs = (digits: string | undefined): number =>
  digits ? Number(digits.slice(0, 3).padEnd(3, '0')) : 0;

// Only the unambiguous 12-hour markers: «ق.ظ»/«ب.ظ» and am/pm. Words such as
// «شب» are left out because «۱۲ شب» is midnight while «۱۰ شب» is 22:00.
function applyMeridiem(hh: number, marker: string | undefined): number | null {
  if (!marker) return hh;
  if (hh < 1 || hh > 12) return null;
  const pm = /^(p|ب)/.test(marker);
  return (hh % 12) + (pm ? 12 : 0);
}

// Zone names worth knowing in feeds. Ambiguous ones (IST, BST, CST in
// China) are left out. A Map, so a token like "constructor" finds nothing.
const ZONE_OFFSETS: ReadonlyMap<string, number> = new Map([
  ['z', 0],
  ['ut', 0],
  ['utc', 0],
  ['gmt', 0],
  ['wet', 0],
  ['west', 60],
  ['cet', 60],
  ['cest', 120],
  ['eet', 120],
  ['eest', 180],
  ['msk', 180],
  ['irst', 210],
  ['irdt', 270],
  ['est', -300],
  ['edt', -240],
  ['cst', -360],
  ['cdt', -300],
  ['mst', -420],
  ['mdt', -360],
  ['pst', -480],
  ['pdt', -420],
]);

/** «z», «+0430», «+04:30», «+04», «gmt+0430», «utc-5» or a known name → minutes east of UTC. */
function zoneOffset(token: string): number | null {
  const named = ZONE_OFFSETS.get(token);
  if (named !== undefined) return named;
  const m = /^(?:gmt|utc|ut)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(token);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 14 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

const byLengthDesc = (a: string, b: string): number => b.length - a.length;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternation = (words: Iterable<string>): string => [...words].sort(byLengthDesc).map(escape).join('|');

const ENGLISH_WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const ENGLISH_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const WEEKDAY_WORDS = alternation([
  ...JALALI_WEEKDAY_KEYS.keys(),
  ...ENGLISH_WEEKDAYS,
  ...ENGLISH_WEEKDAYS.map((w) => w.slice(0, 3)),
]);
const MONTH_WORDS = alternation([...JALALI_MONTH_KEYS.keys()].filter((k) => !/[a-z]/.test(k)));
const SEP = '[\\s,،\\-–—|]';
const LEADING_WEEKDAY = new RegExp(`^(?:${WEEKDAY_WORDS})(?:${SEP}+|$)`);
const MERIDIEM = '(am|pm|a\\.m\\.|p\\.m\\.|ق\\.?\\s?ظ|ب\\.?\\s?ظ)';
const TIME = `(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?(?:\\s*${MERIDIEM})?`;
const AT = `(?:ساعت\\s*:?\\s*)`;

// What may follow the date: a time (after «T», a separator or «ساعت»), a
// zone, and — on Jalali dates only, and only after a time — one bare number,
// which some Persian sites print right after the time (a view count).
const ZONE = '(z|[a-z]{2,5}|(?:gmt|utc)?[+-]\\d{1,2}(?::?\\d{2})?)';
const REST = new RegExp(`^(?:(?:t|${SEP}*${AT}?|${SEP}+)${TIME})?\\s*${ZONE}?(?:\\s+(\\d{1,9}))?$`);

// Some sites put the time first: «۱۰:۳۰ - ۳ مهر ۱۴۰۳».
const TIME_FIRST = new RegExp(`^${AT}?(\\d{1,2}:\\d{2}(?::\\d{2})?)${SEP}+(.+)$`);

type CalendarDay = Pick<Fields, 'y' | 'm' | 'd' | 'jalali'>;

function readRest(rest: string, fields: CalendarDay, opts: ParseDateOptions): Date | null {
  const m = REST.exec(rest);
  if (!m) return null;
  const [, hh, mm, ss, frac, meridiem, zone, trailing] = m;
  const jalali = fields.jalali || fields.y < GREGORIAN_FROM;
  if (trailing !== undefined && (hh === undefined || !jalali)) return null;
  let offset: number | null = null;
  if (zone !== undefined) {
    offset = zoneOffset(zone);
    if (offset === null) return null;
  }
  const hour = applyMeridiem(Number(hh ?? 0), meridiem);
  if (hour === null) return null;
  return toInstant(withTime(fields, hour, Number(mm ?? 0), Number(ss ?? 0), fractionMs(frac), offset), opts);
}

/** A day and a time as one set of fields, written out: spreading the day here cost about 4 µs a date. */
const withTime = (day: CalendarDay, hh: number, mm: number, ss: number, ms: number, offset: number | null): Fields => ({
  y: day.y,
  m: day.m,
  d: day.d,
  jalali: day.jalali,
  hh,
  mm,
  ss,
  ms,
  offset,
});

const YMD = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})/;
// Day-first numeric dates only when the year is Jalali: Persian sites write
// ۰۳/۰۷/۱۴۰۳, while 03/07/2014 could be March or July.
const DMY_JALALI = /^(\d{1,2})([-/.])(\d{1,2})\2(1[0-6]\d\d)(?!\d)/;
const TEXT_DATE = new RegExp(`^(\\d{1,2})\\s*[-/]?\\s*(${MONTH_WORDS})\\s*[-/,،]?\\s*(\\d{4}|\\d{2})(?!\\d)`);

/** Two-digit Jalali years: 50-99 → 13xx, 00-49 → 14xx. */
const jalaliCentury = (yy: number): number => (yy >= 50 ? 1300 : 1400) + yy;

function parseCalendarDate(text: string, opts: ParseDateOptions): Date | null {
  const timeFirst = TIME_FIRST.exec(text);
  if (timeFirst) text = `${timeFirst[2]} ${timeFirst[1]}`;
  const body = text.replace(LEADING_WEEKDAY, '');

  let m = YMD.exec(body);
  if (m) {
    const fields = { y: Number(m[1]), m: Number(m[3]), d: Number(m[4]), jalali: false };
    return readRest(body.slice(m[0].length), fields, opts);
  }
  m = DMY_JALALI.exec(body);
  if (m) {
    const fields = { y: Number(m[4]), m: Number(m[3]), d: Number(m[1]), jalali: true };
    return readRest(body.slice(m[0].length), fields, opts);
  }
  m = TEXT_DATE.exec(body);
  if (m) {
    const month = JALALI_MONTH_KEYS.get(m[2] ?? '') ?? 0;
    const year = m[3]?.length === 2 ? jalaliCentury(Number(m[3])) : Number(m[3]);
    return readRest(body.slice(m[0].length), { y: year, m: month, d: Number(m[1]), jalali: true }, opts);
  }
  return null;
}

const RELATIVE_UNITS: Readonly<Record<string, number>> = {
  ثانیه: 1000,
  دقیقه: MINUTE,
  ساعت: 60 * MINUTE,
  روز: DAY,
  هفته: 7 * DAY,
  second: 1000,
  sec: 1000,
  minute: MINUTE,
  min: MINUTE,
  hour: 60 * MINUTE,
  hr: 60 * MINUTE,
  day: DAY,
  week: 7 * DAY,
};
const AGO =
  /^(\d{1,4})\s*(ثانیه|دقیقه|ساعت|روز|هفته)\s*(?:پیش|قبل)$|^(\d{1,4})\s*(second|sec|minute|min|hour|hr|day|week)s?\s+ago$/;
const TODAY = new RegExp(`^(امروز|دیروز|today|yesterday)(?:${SEP}*${AT}?${TIME})?$`);

function parseRelative(text: string, opts: ParseDateOptions): Date | null {
  const now = (opts.now ?? new Date()).getTime();
  const ago = AGO.exec(text);
  if (ago) {
    const unit = RELATIVE_UNITS[ago[2] ?? ago[4] ?? ''] ?? 0;
    return new Date(now - Number(ago[1] ?? ago[3]) * unit);
  }
  const day = TODAY.exec(text);
  if (!day) return null;
  const [, word, hh, mm, ss, , meridiem] = day;
  const zone = opts.timeZone ?? TEHRAN;
  // Calendar arithmetic on the zone's wall date: yesterday is not always 24 h ago.
  const wall = new Date(now + offsetAt(now, zone));
  const back = word === 'دیروز' || word === 'yesterday' ? 1 : 0;
  if (hh === undefined) return new Date(now - back * DAY);
  const hour = applyMeridiem(Number(hh), meridiem);
  if (hour === null || hour > 23 || Number(mm) > 59 || Number(ss ?? 0) > 59) return null;
  return zonedToUtc(
    wall.getUTCFullYear(),
    wall.getUTCMonth() + 1,
    wall.getUTCDate() - back,
    hour,
    Number(mm),
    Number(ss ?? 0),
    zone,
  );
}

const ENGLISH_WEEKDAY_RE = /^(sun|mon|tue|tues|wed|thu|thur|thurs|fri|sat)(day|nesday|rsday|urday|sday)?\.?$/;

function englishMonth(token: string): number | null {
  const word = token.replace(/\.$/, '');
  if (word.length < 3) return null;
  const i = ENGLISH_MONTHS.findIndex((name) => name.startsWith(word));
  return i === -1 ? null : i + 1;
}

/**
 * RFC 822/1123/850 and the looser shapes feeds really send: weekday optional
 * and never checked, month name before or after the day, seconds optional,
 * two-digit years (00-49 → 20xx), numeric or named zones, JS Date#toString.
 */
function parseRfc822(text: string, opts: ParseDateOptions): Date | null {
  const cleaned = text
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\b(\d{1,2})-([a-z]{3,9})-(\d{2,4})\b/, '$1 $2 $3');
  const tokens = cleaned.split(/[\s,]+/).filter((t) => t !== '');
  const numbers: string[] = [];
  let month: number | null = null;
  let jalali = false;
  let time: RegExpExecArray | null = null;
  let meridiem: string | undefined;
  let offset: number | null = null;
  let zoneSeen = false;

  for (const token of tokens) {
    const timeMatch = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(z|[+-]\d{2}:?\d{2})?$/.exec(token);
    if (timeMatch && !time) {
      time = timeMatch;
      if (timeMatch[5]) {
        offset = zoneOffset(timeMatch[5]);
        zoneSeen = true;
      }
    } else if (/^\d{1,4}$/.test(token)) {
      numbers.push(token);
    } else if (ENGLISH_WEEKDAY_RE.test(token)) {
      // Weekdays are often wrong in feeds; the date decides.
    } else if (month === null && englishMonth(token) !== null) {
      month = englishMonth(token);
    } else if (month === null && JALALI_MONTH_KEYS.has(token)) {
      month = JALALI_MONTH_KEYS.get(token) ?? null;
      jalali = true;
    } else if (time && !meridiem && /^(am|pm|a\.m\.|p\.m\.)$/.test(token)) {
      meridiem = token;
    } else if (time && !zoneSeen && zoneOffset(token) !== null) {
      offset = zoneOffset(token);
      zoneSeen = true;
    } else if (time && !zoneSeen && /^[a-z]{1,5}$/.test(token)) {
      // RFC 2822 §4.3: an unknown zone name tells us nothing; fall back to the default zone.
      zoneSeen = true;
    } else {
      return null;
    }
  }

  if (month === null || numbers.length !== 2) return null;
  const [first = '', second = ''] = numbers;
  const [dayText, yearText] = first.length === 4 ? [second, first] : [first, second];
  if (dayText.length > 2 || (yearText.length !== 4 && yearText.length !== 2)) return null;
  let year = Number(yearText);
  if (yearText.length === 2) year = jalali ? jalaliCentury(year) : year + (year < 50 ? 2000 : 1900);

  const hour = applyMeridiem(Number(time?.[1] ?? 0), meridiem);
  if (hour === null) return null;
  return toInstant(
    {
      y: year,
      m: month,
      d: Number(dayText),
      hh: hour,
      mm: Number(time?.[2] ?? 0),
      ss: Number(time?.[3] ?? 0),
      ms: fractionMs(time?.[4]),
      offset,
      jalali,
    },
    opts,
  );
}

// Unix time is accepted only where it lands between 1973 and 2286: seconds
// have 9-10 digits, milliseconds 12-13. Smaller numbers (0, ids, years) are
// far more often something else than a date.
function fromEpoch(n: number): Date | null {
  if (!Number.isFinite(n)) return null;
  if (n >= 1e8 && n < 1e10) return new Date(Math.round(n * 1000));
  if (n >= 1e11 && n < 1e13) return new Date(Math.round(n));
  return null;
}

/**
 * ISO 8601 as machines write it: `2026-10-01`, or with a time after `T` (seconds and up to
 * nine fraction digits optional) and a zone (`Z`, `+04`, `+0430`, `+04:30`) or none. Other
 * shapes, spaces included, are left to the full grammar.
 */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * What the full grammar reads from an ISO 8601 string, without normalising the text and
 * trying each shape in turn, which cost most of a pushed item's date; null when the string is
 * not of that shape or names no real instant, and the full grammar then decides. The fields go
 * to the same toInstant, so a year below 1700 is Jalali here too.
 */
export function parseIsoDate(text: string, opts: ParseDateOptions = {}): Date | null {
  const m = ISO_8601.exec(text);
  if (!m) return null;
  const [, y, mo, d, hh = '0', mm = '0', ss = '0', fraction, zone] = m;
  const offset = zone === undefined ? null : zoneOffset(zone.toLowerCase());
  if (offset === null && zone !== undefined) return null;
  const day = { y: Number(y), m: Number(mo), d: Number(d), jalali: false };
  return toInstant(withTime(day, Number(hh), Number(mm), Number(ss), fractionMs(fraction), offset), opts);
}

/**
 * Reads a date from a feed. Accepts RFC 822 and variants, ISO 8601/RFC 3339,
 * Unix seconds or milliseconds, Jalali dates in words or digits (Persian,
 * Arabic or ASCII), and relative Persian/English phrases («۲ ساعت پیش»).
 * A string without a zone is read in opts.timeZone, else Asia/Tehran when
 * Jalali and UTC when Gregorian. Returns null for anything unreadable;
 * throws only when opts.timeZone itself is not a valid zone.
 */
export function parseDate(input: string | number | null | undefined, opts: ParseDateOptions = {}): Date | null {
  if (opts.timeZone !== undefined) assertTimeZone(opts.timeZone);
  return (typeof input === 'string' ? parseIsoDate(input, opts) : null) ?? readDate(input, opts);
}

/** parseDate without the shortcut for ISO 8601 (parseIsoDate): the whole grammar, on any input. */
export function parseDateFully(input: string | number | null | undefined, opts: ParseDateOptions = {}): Date | null {
  if (opts.timeZone !== undefined) assertTimeZone(opts.timeZone);
  return readDate(input, opts);
}

function readDate(input: string | number | null | undefined, opts: ParseDateOptions): Date | null {
  if (typeof input === 'number') return fromEpoch(input);
  if (typeof input !== 'string') return null;
  const text = normaliseKey(input);
  if (text === '' || text.length > 120) return null;
  if (/^\d+(\.\d+)?$/.test(text)) {
    const digits = text.split('.')[0]?.length ?? 0;
    return digits === 9 || digits === 10 || digits === 12 || digits === 13 ? fromEpoch(Number(text)) : null;
  }
  return parseCalendarDate(text, opts) ?? parseRelative(text, opts) ?? parseRfc822(text, opts);
}

/**
 * A date more than maxFutureMs ahead of now becomes now. A future-dated item
 * would otherwise sit on top of every feed until its date arrives; now keeps
 * it visible in honest order. The allowance absorbs clock skew and the
 * common "local time labelled as UTC" mistake (at most 14 h).
 */
export function clampDate(d: Date | null, now: Date, maxFutureMs = 24 * 3600e3): Date | null {
  if (d === null) return null;
  return d.getTime() - now.getTime() > maxFutureMs ? new Date(now.getTime()) : d;
}

const QUERY_DATE_ONLY = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;

/**
 * A feed's since/until value: an ISO 8601 date or date-time, or a Jalali
 * date such as 1403-07-03 (Asia/Tehran). A bare date means the first
 * millisecond of that day for 'start' and the last one for 'end', so both
 * bounds are inclusive. Gregorian bare dates are UTC days.
 */
export function parseQueryDate(s: string, edge: 'start' | 'end'): Date | null {
  const text = normaliseKey(s);
  const m = QUERY_DATE_ONLY.exec(text);
  if (!m) return /^\d{4}[-/]/.test(text) ? parseCalendarDate(text, {}) : null;
  const day = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]), jalali: false };
  const start = toInstant({ ...day, hh: 0, mm: 0, ss: 0, ms: 0, offset: null }, {});
  if (start === null || edge === 'start') return start;
  // The next day's midnight, found on that day's own calendar so a DST change
  // (a 23 h or 25 h day) is honoured.
  const jalali = day.y < GREGORIAN_FROM;
  const { gy, gm, gd } = jalali ? jalaliToGregorian(day.y, day.m, day.d) : { gy: day.y, gm: day.m, gd: day.d };
  const next = zonedToUtc(gy, gm, gd + 1, 0, 0, 0, jalali ? TEHRAN : 'UTC');
  return new Date(next.getTime() - 1);
}
