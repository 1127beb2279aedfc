/**
 * Unicode word boundaries for rule patterns. JavaScript's `\b` and `\B` know only ASCII word
 * characters, even with the `u` flag, so `\bبورس\b` never matches Persian text. Rules instead
 * get a boundary between a word character and anything else, where a word character is a
 * letter, a mark or a decimal digit of any script, or `_`.
 *
 * ZWNJ (U+200C) is not a word character, and need not be: rules run on normaliseKey text, in
 * which ZWNJ, ZWJ and ZWSP have already become spaces (and foldPattern does the same to the
 * pattern). So «کتاب‌ها» holds the whole word کتاب just as «کتاب ها» does, while «کتابها»
 * does not. Writers swap ZWNJ and space freely; a boundary that told them apart would make the
 * same rule match one spelling of a headline and miss the other. To require the compound,
 * write it: `\bکتاب‌ها\b` matches both spellings.
 */

const WORD = '[\\p{L}\\p{M}\\p{Nd}_]';
const IS_WORD = /^[\p{L}\p{M}\p{Nd}_]$/u;

// The two alternatives of each exclude one another (the character before is a word character
// or it is not), so at most one can succeed at a position: putting a rewritten `\b` inside a
// repeated group adds no way to backtrack, and the safety check of the original still holds.
const BOUNDARY = `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
const NOT_BOUNDARY = `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`;
// Next to a word character that must be there, only the other side matters: `(?<!W)` before
// one, `(?!W)` after one. Most rules are `\bword\b`; this form lets the engine look for the word
// instead of testing a lookbehind at every position (about five times faster on long Persian
// text), and each class costs about a millisecond to compile, so one class beats four.
const BOUNDARY_BEFORE_WORD = `(?<!${WORD})`;
const NOT_BOUNDARY_BEFORE_WORD = `(?<=${WORD})`;
const BOUNDARY_AFTER_WORD = `(?!${WORD})`;
const NOT_BOUNDARY_AFTER_WORD = `(?=${WORD})`;

/**
 * The pattern with every `\b` and `\B` outside a character class replaced by its Unicode
 * equivalent; `\\b` (a backslash, then b) and `[\b]` (backspace) are left alone. The pattern
 * must already compile with the `u` flag, which is how rules run.
 */
export function unicodeWordBoundaries(pattern: string): string {
  let out = '';
  // The last thing read was a literal word character with no quantifier after it.
  let afterWord = false;
  for (let i = 0; i < pattern.length; ) {
    const ch = String.fromCodePoint(pattern.codePointAt(i)!);
    if (ch === '[') {
      const end = classEnd(pattern, i);
      out += pattern.slice(i, end);
      i = end;
      afterWord = false;
    } else if (ch === '\\' && (pattern[i + 1] === 'b' || pattern[i + 1] === 'B')) {
      const not = pattern[i + 1] === 'B';
      if (afterWord) out += not ? NOT_BOUNDARY_AFTER_WORD : BOUNDARY_AFTER_WORD;
      else if (startsWithWordCharacter(pattern, i + 2)) out += not ? NOT_BOUNDARY_BEFORE_WORD : BOUNDARY_BEFORE_WORD;
      else out += not ? NOT_BOUNDARY : BOUNDARY;
      i += 2;
      afterWord = false;
    } else if (ch === '\\') {
      const end = escapeEnd(pattern, i);
      out += pattern.slice(i, end);
      i = end;
      afterWord = false;
    } else {
      out += ch;
      i += ch.length;
      afterWord = IS_WORD.test(ch) && !QUANTIFIER_START.test(pattern[i] ?? '');
    }
  }
  return out;
}

const QUANTIFIER_START = /^[?*+{]$/;

/**
 * Index just after the escape at `start`, as the `u` flag reads it: `\u{…}`, `\u` and four hex
 * digits, `\x` and two, `\c` and a letter, `\p{…}`, `\P{…}`, `\k<…>`, or a backslash and one
 * character. Reading the whole escape keeps the last digit of `\u002E` from passing for a
 * literal word character.
 */
function escapeEnd(pattern: string, start: number): number {
  const rest = pattern.slice(start);
  const escape = /^\\(?:u\{[0-9A-Fa-f]+\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|c[A-Za-z]|[pP]\{[^}]*\}|k<[^>]*>|[\s\S])/u.exec(rest);
  return start + (escape?.[0].length ?? 1);
}

/**
 * True when the pattern at `at` is a literal word character that is not optional, so any
 * match has a word character there. Outside a class, a letter, digit or `_` right after `\b`
 * is always a literal: under `u`, `\b` cannot take a quantifier, so no `{2}` can follow.
 */
function startsWithWordCharacter(pattern: string, at: number): boolean {
  const code = pattern.codePointAt(at);
  if (code === undefined) return false;
  const ch = String.fromCodePoint(code);
  if (!IS_WORD.test(ch)) return false;
  const after = pattern[at + ch.length];
  return after !== '?' && after !== '*' && after !== '{';
}

/**
 * Index just after the character class opening at `start`. As in JavaScript (and unlike
 * POSIX), a `]` right after `[` or `[^` closes the class: `[]` matches nothing, `[^]` anything.
 */
export function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
  return i + 1;
}
