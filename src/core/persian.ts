// Persian text helpers for matching. Display text is never rewritten: only
// the keys built here are compared, so the same word typed on an Arabic
// keyboard, with a ZWNJ or with vowel marks still finds itself.

const PERSIAN_ZERO = 0x06f0; // ۰
const ARABIC_INDIC_ZERO = 0x0660; // ٠

/** Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII; everything else untouched. */
export function toAsciiDigits(s: string): string {
  return s.replace(/[۰-۹٠-٩]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code - (code >= PERSIAN_ZERO ? PERSIAN_ZERO : ARABIC_INDIC_ZERO));
  });
}

/** ASCII digits to Persian digits, for HTML views. */
export function toPersianDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(PERSIAN_ZERO + Number(d)));
}

// Letters Persian writers produce from Arabic keyboards, older encodings or
// Arabic-language sources. Folding is one-way and lossy on purpose: a key only
// has to make equal what a reader would call the same word.
//
// Hamza: أ إ ٱ fold to ا, ؤ to و and ئ to ی, because Persian spelling of the
// same word wavers between them (مسئول/مسؤول, پائیز/پاییز, أمیر/امیر).
// آ is kept: it is a letter of its own in Persian (آب is not اب), and NFKC
// already composes ا + madda into it, so both spellings of آ meet.
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  'ي': 'ی', // Arabic yeh
  'ى': 'ی', // alef maksura
  'ئ': 'ی',
  'ك': 'ک', // Arabic kaf
  'ڪ': 'ک', // swash kaf
  'ة': 'ه', // teh marbuta
  'ۀ': 'ه', // heh with yeh above (ezafe), written as ه + U+0654 just as often
  'ە': 'ه', // U+06D5 Arabic ae, looks the same as ه
  'ھ': 'ه', // heh doachashmee, used for ه by some Urdu-era fonts
  'أ': 'ا',
  'إ': 'ا',
  'ٱ': 'ا', // alef wasla
  'ؤ': 'و',
};
const LETTER_FOLD_RE = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'g');

// Harakat and Quranic annotation marks (U+0610–U+061A, U+06D6–U+06ED),
// tatweel (U+0640), and invisible format characters: bidi marks and
// embeddings (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069),
// soft hyphen and byte-order mark.
const DROPPED_RE =
  /[\u064B-\u065F\u0670\u0610-\u061A\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u0640\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u00AD\uFEFF]/g;

// ZWNJ/ZWJ/ZWSP mark a (half-)word boundary, so they count as spaces:
// «می‌شود» and «می شود» must meet. Writers who drop the ZWNJ entirely
// («میشود») produce a different key; that spelling is a different string.
const JOINERS_RE = /[\u200B\u200C\u200D]/g;

/**
 * Every run of whitespace as one space, as `s.replace(/\s+/g, ' ')` does, but matching only
 * what changes (runs of two or more, lone tabs, newlines and other spaces): most text has a
 * single space between words, and replacing each one cost half of a key's time.
 */
const SPACES = /\s\s+|[^\S ]/g;

export function collapseSpaces(s: string): string {
  return s.replace(SPACES, ' ');
}

/**
 * A comparison/search key: NFKC, Arabic letter variants folded to Persian,
 * marks/tatweel/bidi controls removed, joiners as spaces, whitespace
 * collapsed and trimmed, Latin lowercased, digits ASCII.
 */
export function normaliseKey(s: string): string {
  return toAsciiDigits(
    s
      .normalize('NFKC')
      .replace(LETTER_FOLD_RE, (ch) => LETTER_FOLDS[ch] ?? ch)
      .replace(DROPPED_RE, '')
      .replace(JOINERS_RE, ' ')
      .toLowerCase(),
  )
    .replace(SPACES, ' ')
    .trim();
}

/** True when both strings have the same key. */
export function sameKey(a: string, b: string): boolean {
  return normaliseKey(a) === normaliseKey(b);
}

/**
 * True when the needle's key occurs inside the haystack's key. An empty
 * needle matches nothing, so a blank filter term cannot silently match every
 * item.
 */
export function containsKey(haystack: string, needle: string): boolean {
  const key = normaliseKey(needle);
  return key !== '' && normaliseKey(haystack).includes(key);
}
