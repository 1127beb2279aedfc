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
 * what changes: a run that starts with a tab, newline or other space, or a space followed by
 * more. Most text has a single space between words, and replacing each one cost half of a
 * key's time; starting each match with one character class, not `\s\s+`, lets the engine skip
 * most single spaces without trying a match.
 */
const SPACES = /[^\S ]\s*| \s+/g;

export function collapseSpaces(s: string): string {
  return s.replace(SPACES, ' ');
}

/** Each character's key before whitespace is collapsed: every step of normaliseKey but NFKC and the collapse. */
const foldCharacters = (s: string): string =>
  toAsciiDigits(
    s
      .replace(LETTER_FOLD_RE, (ch) => LETTER_FOLDS[ch] ?? ch)
      .replace(DROPPED_RE, '')
      .replace(JOINERS_RE, ' ')
      .toLowerCase(),
  );

/**
 * A comparison/search key: NFKC, Arabic letter variants folded to Persian,
 * marks/tatweel/bidi controls removed, joiners as spaces, whitespace
 * collapsed and trimmed, Latin lowercased, digits ASCII.
 */
export function normaliseKey(s: string): string {
  return plainKey(s) ?? normaliseKeyFully(s);
}

/** normaliseKey without the one-pass shortcut for text NFKC leaves alone. */
export function normaliseKeyFully(s: string): string {
  return foldCharacters(s.normalize('NFKC')).replace(SPACES, ' ').trim();
}

/**
 * Characters that NFKC leaves alone wherever they stand: each is its own NFKC form, has
 * canonical combining class 0 (never reordered) and is never the second half of a canonical
 * composition (as U+0653-U+0655 are, after alef, waw, yeh and heh). A string of only these is
 * already NFKC (Unicode's quick check, UAX #15 §9). Only Latin-1, the Arabic block and general
 * punctuation are listed: Persian and English text; anything else takes the full path.
 * test/core/persian.test.ts checks each property against the engine's own normalize.
 */
export const NFKC_STABLE_RANGES: readonly (readonly [number, number])[] = [
  [0x0000, 0x009f], [0x00a1, 0x00a7], [0x00a9, 0x00a9], [0x00ab, 0x00ae], [0x00b0, 0x00b1], [0x00b6, 0x00b7],
  [0x00bb, 0x00bb], [0x00bf, 0x00ff],
  [0x0600, 0x060f], [0x061b, 0x064a], [0x0660, 0x066f], [0x0671, 0x0674], [0x0679, 0x06d5], [0x06dd, 0x06de],
  [0x06e5, 0x06e6], [0x06e9, 0x06e9], [0x06ee, 0x06ff],
  [0x200b, 0x2010], [0x2012, 0x2016], [0x2018, 0x2023], [0x2027, 0x202e], [0x2030, 0x2032], [0x2035, 0x2035],
  [0x2038, 0x203b], [0x203d, 0x203d], [0x203f, 0x2046], [0x204a, 0x2056], [0x2058, 0x205e], [0x2060, 0x206f],
];

// What one character becomes in a key, for the NFKC-stable ones (anything else is UNSAFE).
const UNSAFE = 0;
const KEEP = 1;
const DROP = 2;
const SPACE = 3;
const MAP = 4;

const CHAR_KIND = new Uint8Array(0x2070);
const CHAR_MAPPED = new Uint16Array(0x2070);
for (const [from, to] of NFKC_STABLE_RANGES) {
  for (let c = from; c <= to; c++) {
    // Every step but the collapse maps one character at a time, and none of these depends on
    // its neighbours (as a final sigma would), so a character's key is its key anywhere.
    const ch = String.fromCharCode(c);
    const key = foldCharacters(ch);
    if (/^\s$/.test(key)) CHAR_KIND[c] = SPACE;
    else if (key === '') CHAR_KIND[c] = DROP;
    else if (key === ch) CHAR_KIND[c] = KEEP;
    else if (key.length === 1) {
      CHAR_KIND[c] = MAP;
      CHAR_MAPPED[c] = key.charCodeAt(0);
    }
  }
}

/**
 * Called through this, not as `s.charCodeAt`: keys are made of flat, joined and internalised
 * strings alike, each kind its own hidden class, and a method looked up on more than four of
 * them is looked up again for every character (several times slower).
 */
const charCodeAt = String.prototype.charCodeAt;

/**
 * normaliseKey in one pass, for text of NFKC-stable characters only (else null): each one's
 * key comes from a table built with normaliseKey's own steps, and runs that the key keeps as
 * they are (words and the single spaces between them) are copied whole.
 */
function plainKey(s: string): string | null {
  let key = '';
  let from = 0;
  // True while the key is empty or ends in a space, where another space would be trimmed or doubled.
  let spaced = true;
  const end = s.length;
  for (let i = 0; i < end; i++) {
    const c = charCodeAt.call(s, i);
    const kind = c < CHAR_KIND.length ? CHAR_KIND[c] : UNSAFE;
    if (kind === KEEP) {
      spaced = false;
      continue;
    }
    if (c === 0x20 && !spaced) {
      spaced = true;
      continue;
    }
    if (kind === UNSAFE) return null;
    key += s.slice(from, i);
    from = i + 1;
    if (kind === MAP) {
      key += String.fromCharCode(CHAR_MAPPED[c]!);
      spaced = false;
    } else if (kind === SPACE && !spaced) {
      key += ' ';
      spaced = true;
    }
  }
  key += s.slice(from);
  return spaced && key !== '' ? key.slice(0, -1) : key;
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
