// Jalali (Solar Hijri) calendar: conversion, validation, names, display.
// The arithmetic is Kazimierz Borkowski's, as in jalaali-js: exact for the
// official calendar between Jalali years -61 and 3177.

import { normaliseKey, toPersianDigits } from './persian.ts';

export interface JalaliDate {
  jy: number;
  jm: number;
  jd: number;
}

export interface GregorianDate {
  gy: number;
  gm: number;
  gd: number;
}

// Jalali years in which the 33-year leap cycle is re-anchored to the equinox.
const BREAKS = [
  -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394,
  2456, 3178,
] as const;
const FIRST_YEAR = BREAKS[0];
const LAST_YEAR = (BREAKS.at(-1) ?? 3178) - 1;

const div = (a: number, b: number): number => Math.trunc(a / b);
const mod = (a: number, b: number): number => a - Math.trunc(a / b) * b;

/**
 * For Jalali year jy: the Gregorian year it starts in, the March day of
 * 1 Farvardin, and years since the last leap year (0 means jy is leap).
 */
function jalCal(jy: number): { gy: number; march: number; leap: number } {
  if (!Number.isInteger(jy) || jy < FIRST_YEAR || jy > LAST_YEAR) {
    throw new RangeError(`jalali: year ${jy} is outside ${FIRST_YEAR}..${LAST_YEAR}`);
  }
  const gy = jy + 621;
  let leapJ = -14;
  let jp: number = FIRST_YEAR;
  let jump = 0;
  for (let i = 1; i < BREAKS.length; i++) {
    const jm = BREAKS[i] ?? 0;
    jump = jm - jp;
    if (jy < jm) break;
    leapJ += div(jump, 33) * 8 + div(mod(jump, 33), 4);
    jp = jm;
  }
  let n = jy - jp;
  leapJ += div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
  if (mod(jump, 33) === 4 && jump - n === 4) leapJ += 1;
  const leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
  const march = 20 + leapJ - leapG;
  if (jump - n < 6) n = n - jump + div(jump + 4, 33) * 33;
  let leap = mod(mod(n + 1, 33) - 1, 4);
  if (leap === -1) leap = 4;
  return { gy, march, leap };
}

/** Gregorian date → Julian day number. */
function g2d(gy: number, gm: number, gd: number): number {
  const d =
    div((gy + div(gm - 8, 6) + 100100) * 1461, 4) +
    div(153 * mod(gm + 9, 12) + 2, 5) +
    gd -
    34840408;
  return d - div(div(gy + 100100 + div(gm - 8, 6), 100) * 3, 4) + 752;
}

/** Julian day number → Gregorian date. */
function d2g(jdn: number): GregorianDate {
  let j = 4 * jdn + 139361631;
  j += div(div(4 * jdn + 183187720, 146097) * 3, 4) * 4 - 3908;
  const i = div(mod(j, 1461), 4) * 5 + 308;
  const gd = div(mod(i, 153), 5) + 1;
  const gm = mod(div(i, 153), 12) + 1;
  const gy = div(j, 1461) - 100100 + div(8 - gm, 6);
  return { gy, gm, gd };
}

/**
 * Converts without validating the month and day (1403/1/32 rolls into month
 * 2); check with isValidJalaliDate first. Throws on a year out of range.
 */
export function jalaliToGregorian(jy: number, jm: number, jd: number): GregorianDate {
  const { gy, march } = jalCal(jy);
  return d2g(g2d(gy, 3, march) + (jm - 1) * 31 - div(jm, 7) * (jm - 7) + jd - 1);
}

/** Throws when the date falls outside the Jalali years the arithmetic covers. */
export function gregorianToJalali(gy: number, gm: number, gd: number): JalaliDate {
  const jdn = g2d(gy, gm, gd);
  let jy = d2g(jdn).gy - 621;
  const cal = jalCal(jy);
  let k = jdn - g2d(cal.gy, 3, cal.march);
  if (k >= 0) {
    if (k <= 185) return { jy, jm: 1 + div(k, 31), jd: mod(k, 31) + 1 };
    k -= 186;
  } else {
    // Before 1 Farvardin: the tail of the previous year, which had a 30th
    // of Esfand exactly when this year is one past a leap year.
    jy -= 1;
    k += 179;
    if (cal.leap === 1) k += 1;
  }
  return { jy, jm: 7 + div(k, 30), jd: mod(k, 30) + 1 };
}

export function isJalaliLeapYear(jy: number): boolean {
  return jalCal(jy).leap === 0;
}

/** 31 days in months 1-6, 30 in 7-11, Esfand 29 or 30 in a leap year. */
export function jalaliMonthLength(jy: number, jm: number): number {
  if (jm <= 6) return 31;
  if (jm <= 11) return 30;
  return isJalaliLeapYear(jy) ? 30 : 29;
}

/** Never throws: any non-integer or out-of-range part is simply invalid. */
export function isValidJalaliDate(jy: number, jm: number, jd: number): boolean {
  return (
    Number.isInteger(jy) &&
    Number.isInteger(jm) &&
    Number.isInteger(jd) &&
    jy >= FIRST_YEAR &&
    jy <= LAST_YEAR &&
    jm >= 1 &&
    jm <= 12 &&
    jd >= 1 &&
    jd <= jalaliMonthLength(jy, jm)
  );
}

/** Display names, index 0 = Farvardin. */
export const JALALI_MONTH_NAMES = [
  'فروردین',
  'اردیبهشت',
  'خرداد',
  'تیر',
  'مرداد',
  'شهریور',
  'مهر',
  'آبان',
  'آذر',
  'دی',
  'بهمن',
  'اسفند',
] as const;

/** Display names indexed like Date#getDay(): 0 = یکشنبه (Sunday), 6 = شنبه. */
export const JALALI_WEEKDAY_NAMES = [
  'یکشنبه',
  'دوشنبه',
  'سه‌شنبه',
  'چهارشنبه',
  'پنجشنبه',
  'جمعه',
  'شنبه',
] as const;

// Spellings seen in the wild besides the display name. Arabic-letter and
// ZWNJ variants need no entry: keys go through normaliseKey. Entries written
// with a space cover both the ZWNJ and the plain-space spelling. Latin
// transliterations appear in RFC 822-shaped dates from Persian CMSs.
const MONTH_VARIANTS: readonly (readonly string[])[] = [
  ['فروردین', 'farvardin'],
  ['اردیبهشت', 'اردی بهشت', 'ordibehesht'],
  ['خرداد', 'khordad'],
  ['تیر', 'tir'],
  ['مرداد', 'امرداد', 'mordad', 'amordad'],
  ['شهریور', 'shahrivar'],
  ['مهر', 'mehr'],
  ['آبان', 'ابان', 'aban'],
  ['آذر', 'اذر', 'azar'],
  ['دی', 'dey', 'dei'],
  ['بهمن', 'bahman'],
  ['اسفند', 'اسپند', 'esfand'],
];

const WEEKDAY_VARIANTS: readonly (readonly string[])[] = [
  ['یکشنبه', 'یک شنبه'],
  ['دوشنبه', 'دو شنبه'],
  ['سه شنبه', 'سهشنبه', 'سشنبه'],
  ['چهارشنبه', 'چهار شنبه'],
  ['پنجشنبه', 'پنج شنبه'],
  ['جمعه', 'آدینه'],
  ['شنبه'],
];

function keyIndex(variants: readonly (readonly string[])[], base: number): Map<string, number> {
  const index = new Map<string, number>();
  variants.forEach((names, i) => {
    for (const name of names) index.set(normaliseKey(name), i + base);
  });
  return index;
}

/** normaliseKey(name) → month number 1-12. */
export const JALALI_MONTH_KEYS: ReadonlyMap<string, number> = keyIndex(MONTH_VARIANTS, 1);

/** normaliseKey(name) → Date#getDay() number (0 = Sunday). */
export const JALALI_WEEKDAY_KEYS: ReadonlyMap<string, number> = keyIndex(WEEKDAY_VARIANTS, 0);

/** Month number 1-12 for any known spelling, or null. */
export function jalaliMonthFromName(name: string): number | null {
  return JALALI_MONTH_KEYS.get(normaliseKey(name)) ?? null;
}

/** Date#getDay() number (0 = Sunday … 6 = Saturday/شنبه) for any known spelling, or null. */
export function jalaliWeekdayFromName(name: string): number | null {
  return JALALI_WEEKDAY_KEYS.get(normaliseKey(name)) ?? null;
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

function wallClock(date: Date, timeZone: string): Record<string, number> {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    wallClockFormats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(date)) parts[part.type] = Number(part.value);
  return parts;
}

const pad2 = (n: number | undefined): string => String(n ?? 0).padStart(2, '0');

/** «۲۸ مرداد ۱۳۹۳، ۰۲:۴۴» — the wall time in timeZone, Persian digits. */
export function formatJalali(date: Date, timeZone = 'Asia/Tehran'): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('jalali: cannot format an invalid Date');
  const { year = 0, month = 1, day = 1, hour, minute } = wallClock(date, timeZone);
  const { jy, jm, jd } = gregorianToJalali(year, month, day);
  const monthName = JALALI_MONTH_NAMES[jm - 1] ?? '';
  return toPersianDigits(`${jd} ${monthName} ${jy}، ${pad2(hour)}:${pad2(minute)}`);
}
