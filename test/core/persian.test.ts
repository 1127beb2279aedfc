import { describe, expect, it } from 'vitest';
import { containsKey, normaliseKey, sameKey, toAsciiDigits, toPersianDigits } from '../../src/core/persian.ts';

describe('toAsciiDigits', () => {
  it('converts Persian and Arabic-Indic digits and leaves the rest', () => {
    expect(toAsciiDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    expect(toAsciiDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(toAsciiDigits('ساعت ۱۰:۳۰ و 5')).toBe('ساعت 10:30 و 5');
    expect(toAsciiDigits('')).toBe('');
  });

  it('round-trips with toPersianDigits', () => {
    expect(toPersianDigits('1403/07/03 10:30')).toBe('۱۴۰۳/۰۷/۰۳ ۱۰:۳۰');
    expect(toAsciiDigits(toPersianDigits('0123456789'))).toBe('0123456789');
  });
});

describe('normaliseKey', () => {
  const same: [string, string, string][] = [
    ['Arabic kaf', 'كتاب', 'کتاب'],
    ['Arabic yeh', 'علي', 'علی'],
    ['alef maksura', 'موسى', 'موسی'],
    ['ZWNJ as a space', 'می‌شود', 'می شود'],
    ['ZWJ as a space', 'می\u200dشود', 'می شود'],
    ['Persian digits', '۱۴۰۳', '1403'],
    ['Arabic-Indic digits', '١٤٠٣', '1403'],
    ['tatweel', 'کـــتـاب', 'کتاب'],
    ['harakat', 'كِتَابٌ', 'کتاب'],
    ['superscript alef', 'رحمٰن', 'رحمن'],
    ['teh marbuta', 'مدرسة', 'مدرسه'],
    ['heh with yeh above', 'خانۀ ما', 'خانه ما'],
    ['heh plus hamza mark', 'خانهٔ ما', 'خانه ما'],
    ['alef with hamza above', 'أمیر', 'امیر'],
    ['alef with hamza below', 'إسلام', 'اسلام'],
    ['waw with hamza', 'مسؤول', 'مسوول'],
    ['yeh with hamza', 'پائیز', 'پاییز'],
    ['decomposed madda composes to آ', 'ا\u0653ب', 'آب'],
    ['bidi marks', '\u200fسلام\u200e \u202bدنیا\u202c \u2067x\u2069', 'سلام دنیا x'],
    ['whitespace collapsed and trimmed', '  سلام \n\t دنیا  ', 'سلام دنیا'],
    ['Latin lowercased', 'Chapar FEED', 'chapar feed'],
    ['NFKC presentation forms', '\uFEF3\uFEE0\uFEE4\uFEEA', 'یلمه'],
    ['NFKC full-width Latin', 'ＡＢＣ', 'abc'],
    ['no-break space', 'سلام\u00a0دنیا', 'سلام دنیا'],
  ];
  it.each(same)('%s: %s ≡ %s', (_why, a, b) => {
    expect(normaliseKey(a)).toBe(normaliseKey(b));
    expect(sameKey(a, b)).toBe(true);
  });

  it('produces the expected key, not just equal ones', () => {
    expect(normaliseKey('  كتابِ  علي‌ ۱۴۰۳ ')).toBe('کتاب علی 1403');
  });

  it('keeps آ distinct from ا: آب is not اب', () => {
    expect(sameKey('آب', 'اب')).toBe(false);
  });

  it('keeps words joined without ZWNJ distinct from the ZWNJ spelling', () => {
    expect(sameKey('میشود', 'می‌شود')).toBe(false);
  });

  it('is idempotent', () => {
    for (const s of ['كِتَابٌ علي', 'می‌شود ۱۴۰۳', 'ABC  def', 'خانۀ مدرسة']) {
      expect(normaliseKey(normaliseKey(s))).toBe(normaliseKey(s));
    }
  });

  it('returns an empty key for blank or invisible-only input', () => {
    expect(normaliseKey('')).toBe('');
    expect(normaliseKey(' \u200c\u200f\u0640 ')).toBe('');
  });
});

describe('containsKey', () => {
  it('finds a needle across letter variants, digits and joiners', () => {
    expect(containsKey('قیمت كتاب‌هاي درسی ۱۴۰۳', 'کتاب های')).toBe(true);
    expect(containsKey('قیمت كتاب‌هاي درسی ۱۴۰۳', '1403')).toBe(true);
    expect(containsKey('Tehran News', 'news')).toBe(true);
  });

  it('reports absence', () => {
    expect(containsKey('اخبار ورزشی', 'سیاسی')).toBe(false);
  });

  it('never matches a blank needle', () => {
    expect(containsKey('anything', '')).toBe(false);
    expect(containsKey('anything', ' \u200c ')).toBe(false);
  });
});
