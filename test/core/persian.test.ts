import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsKey, NFKC_STABLE_RANGES, normaliseKey, normaliseKeyFully, sameKey, toAsciiDigits, toPersianDigits } from '../../src/core/persian.ts';

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

describe('the one-pass key for NFKC-stable text gives what the full key gives', () => {
  const stable = NFKC_STABLE_RANGES.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i)));

  it('lists only characters NFKC keeps as they are, alone', () => {
    for (const ch of stable) expect(ch.normalize('NFKC'), `U+${ch.charCodeAt(0).toString(16)}`).toBe(ch);
  });

  it('lists only starters (combining class 0), which NFKC never reorders', () => {
    // A mark of class 1-239 after U+0345 (class 240) moves in front of it; one of class 230 (U+0301)
    // catches U+0345 itself. A starter, or a composite whose decomposition starts with one, stays put.
    for (const ch of stable) {
      for (const mark of ['\u0345', '\u0301']) {
        expect(`a${mark}${ch}`.normalize('NFD'), `U+${ch.charCodeAt(0).toString(16)}`).toBe(`a${mark}${ch.normalize('NFD')}`);
      }
    }
  });

  it('lists no character that composes with the one before it', () => {
    // The second half of any canonical composition shows up after the first character of some
    // character's canonical decomposition.
    const seconds = new Set<string>();
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const decomposed = [...String.fromCodePoint(cp).normalize('NFD')];
      for (const ch of decomposed.slice(1)) seconds.add(ch);
    }
    expect(stable.filter((ch) => seconds.has(ch))).toEqual([]);
  });

  it('over every UTF-16 code unit alone', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      expect(normaliseKey(ch), `U+${c.toString(16)}`).toBe(normaliseKeyFully(ch));
    }
  });

  it('over every pair of Latin-1, Arabic and punctuation characters', () => {
    const candidates = [...stable, '\u00a0', '\u0653', '\u0654', '\u0655', '\u064b', '\u0651', '\u0670', '\u0675', '\ufeff', '\u2026'];
    for (const a of candidates) {
      for (const b of candidates) {
        const pair = a + b;
        if (normaliseKey(pair) !== normaliseKeyFully(pair)) expect(normaliseKey(pair), pair).toBe(normaliseKeyFully(pair));
      }
    }
  });

  const pieces = fc.constantFrom(
    'سلام', 'می‌شود', 'خبرگزاری', 'ایران', 'آب', 'خانۀ', 'مسئول', 'مسؤول', 'پائیز', 'أمیر', 'إسلام', 'ٱلله', 'مدرسة', 'موسى', 'علي', 'كتاب', 'ڪ', 'ە', 'ھ',
    'ا\u0653', 'و\u0654', 'ی\u0654', 'ه\u0654', '\u06d5\u0654', 'كِتَابٌ', 'رحمٰن', 'کـــتـاب', '\u0610', '\u06d6', '\u0675',
    '۱۴۰۳', '١٤٠٣', '0123', '\u06f0', '\u0660', '٫', '٬', '،', '؛', '؟', '«', '»',
    '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069', '\u061c', '\u00ad', '\ufeff',
    ' ', '  ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u2009', '\u2028', '\u202f', '\u3000',
    'Chapar', 'FEED', 'ÀÉÎ', 'ß', 'İ', 'Σ', 'ΑΣ ', 'ＡＢＣ', '\ufef3\ufee0', 'ﷲ', '½', '…', '²', '\u0000', '\u001f', '\u007f', '\u0085',
    '😀', '\ud83d', '\ude00', '&amp;', '<p>', 'a\u0301', 'e\u0308', '\u1100\u1161', '가', '\u0345',
  );
  const text = fc.oneof(
    fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join('')),
    fc.array(fc.oneof(pieces, fc.string({ maxLength: 4 })), { maxLength: 12 }).map((parts) => parts.join('')),
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: fc.constantFrom(...stable) }),
  );

  it('over arbitrary strings', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(normaliseKey(s)).toBe(normaliseKeyFully(s));
      }),
      { numRuns: 20000 },
    );
  });
});
