import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clampDate, isValidTimeZone, parseDate, parseDateFully, parseIsoDate, parseQueryDate, zonedToUtc } from '../../src/core/dates.ts';

const NOW = new Date('2024-10-01T12:00:00.000Z');
const iso = (input: string | number | null | undefined, opts: { timeZone?: string } = {}): string | null =>
  parseDate(input, { now: NOW, ...opts })?.toISOString() ?? null;

describe('zonedToUtc', () => {
  it('uses Tehran summer time (+04:30) before 2022', () => {
    expect(zonedToUtc(2014, 8, 19, 2, 44, 0, 'Asia/Tehran').toISOString()).toBe('2014-08-18T22:14:00.000Z');
  });

  it('uses Tehran standard time (+03:30) in summer after 2022', () => {
    expect(zonedToUtc(2023, 8, 19, 2, 44, 0, 'Asia/Tehran').toISOString()).toBe('2023-08-18T23:14:00.000Z');
  });

  it('uses +03:30 in a Tehran winter', () => {
    expect(zonedToUtc(2014, 1, 10, 12, 0, 0, 'Asia/Tehran').toISOString()).toBe('2014-01-10T08:30:00.000Z');
  });

  it('moves a time inside a spring-forward gap forward by the gap', () => {
    // Tehran, 22 March 2014: 00:00 jumped to 01:00.
    expect(zonedToUtc(2014, 3, 22, 0, 30, 0, 'Asia/Tehran').toISOString()).toBe('2014-03-21T21:00:00.000Z');
    // New York, 12 March 2023: 02:00 jumped to 03:00.
    expect(zonedToUtc(2023, 3, 12, 2, 30, 0, 'America/New_York').toISOString()).toBe('2023-03-12T07:30:00.000Z');
  });

  it('takes the earlier instant of a repeated hour', () => {
    // Tehran, 21 September 2014: 24:00 fell back to 23:00.
    expect(zonedToUtc(2014, 9, 21, 23, 30, 0, 'Asia/Tehran').toISOString()).toBe('2014-09-21T19:00:00.000Z');
    expect(zonedToUtc(2023, 11, 5, 1, 30, 0, 'America/New_York').toISOString()).toBe('2023-11-05T05:30:00.000Z');
  });

  it('passes UTC through', () => {
    expect(zonedToUtc(2024, 2, 29, 23, 59, 59, 'UTC').toISOString()).toBe('2024-02-29T23:59:59.000Z');
  });

  it('throws a module-named error on an unknown zone', () => {
    expect(() => zonedToUtc(2024, 1, 1, 0, 0, 0, 'Mars/Olympus')).toThrow(/^dates: unknown time zone/);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('Asia/Tehran')).toBe(true);
  });
});

describe('parseDate: Jalali', () => {
  it('reads the Persian news-site form, ignoring the view count after the time', () => {
    expect(parseDate('سه شنبه, ۲۸ مرداد ۱۳۹۳ ۰۲:۴۴ ۳۴')?.toISOString()).toBe('2014-08-18T22:14:00.000Z');
  });

  it.each([
    ['سه‌شنبه ۲۸ مرداد ۱۳۹۳ ۰۲:۴۴', '2014-08-18T22:14:00.000Z'],
    ['۲۸ مرداد ۱۳۹۳ ۰۲:۴۴', '2014-08-18T22:14:00.000Z'],
    ['۲۸ امرداد ۱۳۹۳ ۰۲:۴۴', '2014-08-18T22:14:00.000Z'],
    ['٢٨ مرداد ١٣٩٣ ٠٢:٤٤', '2014-08-18T22:14:00.000Z'],
    ['28 مرداد 1393 02:44', '2014-08-18T22:14:00.000Z'],
    ['سه شنبه ۲۸ مرداد ۱۳۹۳ ساعت ۰۲:۴۴', '2014-08-18T22:14:00.000Z'],
    ['۲۸ مرداد ۱۳۹۳ - ۰۲:۴۴', '2014-08-18T22:14:00.000Z'],
    ['۲۸ مرداد ۱۳۹۳، ۰۲:۴۴:۳۴', '2014-08-18T22:14:34.000Z'],
    ['۲۸ مرداد ۱۳۹۳', '2014-08-18T19:30:00.000Z'],
    ['۲۸ مرداد ۱۳۹۳ ۲:۴۴ ب.ظ', '2014-08-19T10:14:00.000Z'],
    ['۲۸ مرداد ۹۳ ۰۲:۴۴', '2014-08-18T22:14:00.000Z'],
    ['۲۸ مرداد ۱۴۰۲ ۰۲:۴۴', '2023-08-18T23:14:00.000Z'],
    ['يكشنبه ۸ مهر ۱۴۰۳', '2024-09-28T20:30:00.000Z'],
    ['۳ اردی‌بهشت ۱۴۰۳', '2024-04-21T20:30:00.000Z'],
    ['۳ اردیبهشت ۱۴۰۳', '2024-04-21T20:30:00.000Z'],
    ['۱۰ اسپند ۱۴۰۲', '2024-02-28T20:30:00.000Z'],
    ['۱۰:۳۰ - ۳ مهر ۱۴۰۳', '2024-09-24T07:00:00.000Z'],
    ['۱۴۰۳/۰۷/۰۳ ۱۰:۳۰', '2024-09-24T07:00:00.000Z'],
    ['۱۴۰۳/۰۷/۰۳ - ۱۰:۳۰', '2024-09-24T07:00:00.000Z'],
    ['۱۴۰۳/۰۷/۰۳ ساعت ۱۰:۳۰', '2024-09-24T07:00:00.000Z'],
    ['1403-07-03', '2024-09-23T20:30:00.000Z'],
    ['1403/7/3', '2024-09-23T20:30:00.000Z'],
    ['۰۳/۰۷/۱۴۰۳', '2024-09-23T20:30:00.000Z'],
    ['1403/12/30', '2025-03-19T20:30:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });

  it('reads a Gregorian-shaped date with a year below 1700 as Jalali', () => {
    expect(iso('1393/05/28 02:44')).toBe('2014-08-18T22:14:00.000Z');
    expect(iso('1403-07-03T10:30:00')).toBe('2024-09-24T07:00:00.000Z');
    expect(iso('1403-07-03T10:30:00+03:30')).toBe('2024-09-24T07:00:00.000Z');
    expect(iso('Tue, 28 Mordad 1393 02:44:34 +0430')).toBe('2014-08-18T22:14:34.000Z');
  });

  it('uses opts.timeZone over Tehran when given', () => {
    expect(iso('1403-07-03 10:30', { timeZone: 'UTC' })).toBe('2024-09-24T10:30:00.000Z');
  });

  it.each(['1402/12/30', '۳۱ مهر ۱۴۰۳', '۰ مرداد ۱۳۹۳', '۲۸ مرداد', '۲۸ مرداد ۱۳۹۳ ۳۴', '۲۸ مرداد ۱۳۹۳ ۲۵:۰۰', '0001-01-01T00:00:00Z', '۲۸ فلان ۱۳۹۳'])(
    'rejects %s',
    (input) => {
      expect(iso(input)).toBeNull();
    },
  );
});

describe('parseDate: RFC 822 and variants', () => {
  it.each([
    ['Mon, 18 Aug 2014 22:14:00 GMT', '2014-08-18T22:14:00.000Z'],
    ['Mon, 18 Aug 2014 22:14:00 +0000', '2014-08-18T22:14:00.000Z'],
    ['Tue, 19 Aug 2014 02:44:00 +0430', '2014-08-18T22:14:00.000Z'],
    ['Tue, 19 Aug 2014 02:44:00 +04:30', '2014-08-18T22:14:00.000Z'],
    ['Mon, 18 Aug 2014 18:14:00 EDT', '2014-08-18T22:14:00.000Z'],
    ['Mon, 18 Aug 2014 17:14:00 EST', '2014-08-18T22:14:00.000Z'],
    ['Mon, 18 Aug 2014 15:14:00 PDT', '2014-08-18T22:14:00.000Z'],
    ['Mon, 18 Aug 2014 22:14:00 UT', '2014-08-18T22:14:00.000Z'],
    ['Mon, 18 Aug 2014 22:14:00 Z', '2014-08-18T22:14:00.000Z'],
    ['Tue, 19 Aug 2014 02:44:00 IRDT', '2014-08-18T22:14:00.000Z'],
    ['18 Aug 2014 22:14:00 GMT', '2014-08-18T22:14:00.000Z'],
    ['Mon, 18 Aug 2014 22:14 GMT', '2014-08-18T22:14:00.000Z'],
    ['Mon, 18 Aug 14 22:14:00 GMT', '2014-08-18T22:14:00.000Z'],
    ['Fri, 18 Aug 2014 22:14:00 GMT', '2014-08-18T22:14:00.000Z'],
    ['  Mon,,  18   Aug  2014   22:14:00  GMT ', '2014-08-18T22:14:00.000Z'],
    ['mon, 18 aug 2014 22:14:00 gmt', '2014-08-18T22:14:00.000Z'],
    ['Monday, 18 August 2014 22:14:00 GMT', '2014-08-18T22:14:00.000Z'],
    ['Monday, 18-Aug-14 22:14:00 GMT', '2014-08-18T22:14:00.000Z'],
    ['Mon Aug 18 2014 22:14:00 GMT+0000 (Coordinated Universal Time)', '2014-08-18T22:14:00.000Z'],
    ['Aug 18, 2014 10:14 PM', '2014-08-18T22:14:00.000Z'],
    ['Mon, 18 Aug 2014 22:14:00', '2014-08-18T22:14:00.000Z'],
    ['Mon, 18 Aug 2014 22:14:00 XYZ', '2014-08-18T22:14:00.000Z'],
    ['18 Aug 2014', '2014-08-18T00:00:00.000Z'],
    ['Thu, 01 Jan 1970 00:00:00 GMT', '1970-01-01T00:00:00.000Z'],
    ['Sat, 01 Jan 50 00:00:00 GMT', '1950-01-01T00:00:00.000Z'],
    ['Thu, 29 Feb 2024 12:00:00 GMT', '2024-02-29T12:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });

  it('reads a zone-less date in opts.timeZone, honouring Tehran history', () => {
    expect(iso('Tue, 19 Aug 2014 02:44:00', { timeZone: 'Asia/Tehran' })).toBe('2014-08-18T22:14:00.000Z');
    expect(iso('Sat, 19 Aug 2023 02:44:00', { timeZone: 'Asia/Tehran' })).toBe('2023-08-18T23:14:00.000Z');
  });

  it.each([
    'Mon, 32 Aug 2014 22:14:00 GMT',
    'Thu, 29 Feb 2023 12:00:00 GMT',
    'Mon, 18 Foo 2014 22:14:00 GMT',
    'Mon, 18 Aug 2014 24:14:00 GMT',
    'Mon, 18 Aug 2014 22:14:00 +9999',
    'Mon, 18 Aug 22:14:00 GMT',
    'Mon, 18 Aug 2014 22:14:00 GMT extra words',
    'Mon, 18 Aug 2014 22:14:00 constructor',
    '2014-08-18T22:14:00 proto',
  ])('rejects %s', (input) => {
    expect(iso(input)).toBeNull();
  });
});

describe('parseDate: ISO 8601 / RFC 3339', () => {
  it.each([
    ['2014-08-18T22:14:00Z', '2014-08-18T22:14:00.000Z'],
    ['2014-08-18T22:14:00.123Z', '2014-08-18T22:14:00.123Z'],
    ['2014-08-18T22:14:00.123456789Z', '2014-08-18T22:14:00.123Z'],
    ['2014-08-19T02:44:00+04:30', '2014-08-18T22:14:00.000Z'],
    ['2014-08-19T02:44:00+0430', '2014-08-18T22:14:00.000Z'],
    ['2014-08-18T17:14:00-05:00', '2014-08-18T22:14:00.000Z'],
    ['2014-08-18 22:14:00', '2014-08-18T22:14:00.000Z'],
    ['2014-08-18t22:14:00z', '2014-08-18T22:14:00.000Z'],
    ['2014-08-18T22:14', '2014-08-18T22:14:00.000Z'],
    ['2014-08-18', '2014-08-18T00:00:00.000Z'],
    ['۲۰۱۴-۰۸-۱۸T۲۲:۱۴:۰۰Z', '2014-08-18T22:14:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });

  it('reads a zone-less ISO date in opts.timeZone', () => {
    expect(iso('2014-08-19 02:44', { timeZone: 'Asia/Tehran' })).toBe('2014-08-18T22:14:00.000Z');
  });

  it.each(['2014-13-01', '2014-02-30', '2014-08-18T22:61:00Z', '2014-08-18T22:14:00+25:00', '2014-08-18 22:14 34'])(
    'rejects %s',
    (input) => {
      expect(iso(input)).toBeNull();
    },
  );
});

describe('parseDate: the shortcut for ISO 8601 gives what the full grammar gives', () => {
  const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
  /** Mostly what ISO 8601 allows, sometimes something near it. */
  const mostly = <T,>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) => fc.oneof({ arbitrary: usual, weight: 5 }, { arbitrary: odd, weight: 1 });
  const upTo = (max: number) => mostly(fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0')), fc.oneof(digits(1, 3), fc.constant('99')));
  const year = mostly(fc.constantFrom('0001', '0999', '1000', '1393', '1403', '1699', '1700', '1970', '2024', '2026', '9999'), fc.oneof(digits(4, 4), digits(3, 5)));
  const zone = mostly(
    fc.constantFrom('', 'Z', 'z', '+00:00', '-00:00', '+04:30', '+0430', '+04', '-05:00', '-0500', '-05', '+14:00', '+15:00', '+04:60', '-14:59'),
    fc.constantFrom('+4:30', '+043', '+04:3', 'UTC', ' Z', 'GMT+0430', '+04:30:00', 'pm', ' am', 'irst'),
  );
  const fraction = mostly(fc.oneof(fc.constant(''), digits(1, 9).map((d) => `.${d}`)), fc.oneof(digits(10, 12).map((d) => `.${d}`), fc.constantFrom(',5', '.', '.x')));
  const seconds = fc.oneof(fc.constant(''), fc.tuple(upTo(61), fraction).map(([ss, f]) => `:${ss}${f}`));
  const time = fc.oneof(
    fc.constant(''),
    fc
      .tuple(mostly(fc.constantFrom('T', 't'), fc.constantFrom(' ', 'T ', '_', '-')), upTo(25), mostly(fc.constant(':'), fc.constantFrom('', '.')), upTo(60), seconds)
      .map(([sep, hh, colon, mm, rest]) => `${sep}${hh}${colon}${mm}${rest}`),
  );
  const isoLike = fc
    .tuple(year, mostly(fc.constant('-'), fc.constantFrom('/', '.')), upTo(13), mostly(fc.constant('-'), fc.constant('/')), upTo(32), time, zone, mostly(fc.constant(''), fc.constantFrom(' ', ' 123', 'x', '\u200c')))
    .map(([y, s1, m, s2, d, t, z, tail]) => `${y}${s1}${m}${s2}${d}${t}${z}${tail}`);
  const timeZone = fc.constantFrom(undefined, 'UTC', 'Asia/Tehran', 'America/New_York', 'Australia/Lord_Howe');
  const at = (d: Date | null) => (d === null ? null : d.getTime());

  it('over ISO-like strings, valid and not', () => {
    fc.assert(
      fc.property(isoLike, timeZone, (s, tz) => {
        const opts = tz === undefined ? { now: NOW } : { now: NOW, timeZone: tz };
        const fast = parseIsoDate(s, opts);
        if (fast !== null) expect(at(fast)).toBe(at(parseDateFully(s, opts)));
        expect(at(parseDate(s, opts))).toBe(at(parseDateFully(s, opts)));
      }),
      { numRuns: 20000 },
    );
  });

  it('over what Date#toISOString writes', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(1700, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }), (d) => {
        const s = d.toISOString();
        expect(at(parseIsoDate(s))).toBe(d.getTime());
        expect(at(parseDateFully(s))).toBe(d.getTime());
      }),
      { numRuns: 5000 },
    );
  });

  it('over arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^[0-9Tt:.+\-Zz ]{0,30}$/)), (s) => {
        expect(at(parseDate(s, { now: NOW }))).toBe(at(parseDateFully(s, { now: NOW })));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parseDate: Unix timestamps', () => {
  it.each<[string | number, string]>([
    [1408400040, '2014-08-18T22:14:00.000Z'],
    [1408400040000, '2014-08-18T22:14:00.000Z'],
    [1408400040.5, '2014-08-18T22:14:00.500Z'],
    ['1408400040', '2014-08-18T22:14:00.000Z'],
    ['1408400040000', '2014-08-18T22:14:00.000Z'],
    ['۱۴۰۸۴۰۰۰۴۰', '2014-08-18T22:14:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });

  it.each<string | number>([0, -1, 42, 2014, Number.NaN, Number.POSITIVE_INFINITY, 1e20, '0', '2014', '20140818', '14084000400'])(
    'rejects implausible %s',
    (input) => {
      expect(iso(input)).toBeNull();
    },
  );
});

describe('parseDate: relative phrases (use opts.now)', () => {
  it.each([
    ['۲ ساعت پیش', '2024-10-01T10:00:00.000Z'],
    ['۱۵ دقیقه قبل', '2024-10-01T11:45:00.000Z'],
    ['3 روز پیش', '2024-09-28T12:00:00.000Z'],
    ['5 minutes ago', '2024-10-01T11:55:00.000Z'],
    ['دیروز ساعت ۱۰:۳۰', '2024-09-30T07:00:00.000Z'],
    ['امروز ۰۸:۰۰', '2024-10-01T04:30:00.000Z'],
    ['Yesterday 23:00', '2024-09-30T19:30:00.000Z'],
    // Without a time, «today» is as late as it can be: now.
    ['امروز', '2024-10-01T12:00:00.000Z'],
    ['دیروز', '2024-09-30T12:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });
});

describe('parseDate: garbage', () => {
  it.each<string | null | undefined>([null, undefined, '', '   ', 'garbage', '۱۰ شب', '۲ ماه پیش', 'hello 2014', 'NaN', '1', '۱۴۰۳', '::', 'Invalid Date', '<b>x</b>', 'x'.repeat(500)])(
    '%s → null',
    (input) => {
      expect(iso(input)).toBeNull();
    },
  );

  it('never throws and returns only valid Dates, whatever the string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.stringMatching(/^[0-9۰-۹ :\/\-,TZ+مردادسهشنبه]{0,30}$/)), (s) => {
        const d = parseDate(s, { now: NOW });
        return d === null || !Number.isNaN(d.getTime());
      }),
      { numRuns: 2000 },
    );
  });

  it('throws only for a bad opts.timeZone, a caller bug', () => {
    expect(() => parseDate('2014-08-18', { timeZone: 'Nowhere/Special' })).toThrow(/^dates: /);
  });
});

describe('clampDate', () => {
  it('keeps past dates and dates within the allowance', () => {
    const past = new Date('2020-01-01T00:00:00Z');
    expect(clampDate(past, NOW)).toBe(past);
    expect(clampDate(new Date('2024-10-02T11:00:00Z'), NOW)?.toISOString()).toBe('2024-10-02T11:00:00.000Z');
  });

  it('clamps far-future dates to now', () => {
    expect(clampDate(new Date('2030-01-01T00:00:00Z'), NOW)?.toISOString()).toBe(NOW.toISOString());
    expect(clampDate(new Date('2024-10-01T13:00:00Z'), NOW, 0)?.toISOString()).toBe(NOW.toISOString());
  });

  it('passes null through', () => {
    expect(clampDate(null, NOW)).toBeNull();
  });
});

describe('parseQueryDate', () => {
  it.each<[string, 'start' | 'end', string]>([
    ['2024-09-24', 'start', '2024-09-24T00:00:00.000Z'],
    ['2024-09-24', 'end', '2024-09-24T23:59:59.999Z'],
    ['2024-09-24T10:30:00Z', 'start', '2024-09-24T10:30:00.000Z'],
    ['2024-09-24T10:30:00Z', 'end', '2024-09-24T10:30:00.000Z'],
    ['2024-09-24T14:00:00+03:30', 'start', '2024-09-24T10:30:00.000Z'],
    ['1403-07-03', 'start', '2024-09-23T20:30:00.000Z'],
    ['1403-07-03', 'end', '2024-09-24T20:29:59.999Z'],
    ['۱۴۰۳/۰۷/۰۳', 'start', '2024-09-23T20:30:00.000Z'],
    ['1393-05-28', 'start', '2014-08-18T19:30:00.000Z'],
    // 30 Shahrivar 1393 lasted 25 hours: Tehran fell back at its end.
    ['1393-06-30', 'end', '2014-09-21T20:29:59.999Z'],
    // 2 Farvardin 1393 started at 01:00: midnight was skipped.
    ['1393-01-02', 'start', '2014-03-21T20:30:00.000Z'],
  ])('%s (%s) → %s', (input, edge, expected) => {
    expect(parseQueryDate(input, edge)?.toISOString()).toBe(expected);
  });

  it.each(['', 'yesterday', '1402-12-30', '2024-02-30', 'Mon, 18 Aug 2014 22:14:00 GMT', '1408400040'])('rejects %s', (input) => {
    expect(parseQueryDate(input, 'start')).toBeNull();
  });
});
