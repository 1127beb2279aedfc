import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unicodeWordBoundaries } from '../../src/core/rule-boundaries.ts';
import { compileRules, matchRules, regexProblem } from '../../src/core/rules.ts';

/** True when a title-regex rule with this pattern puts an item with this title in its category. */
function matches(pattern: string, title: string): boolean {
  expect(regexProblem(pattern)).toBeNull();
  const rules = compileRules([{ categoryId: 1, field: 'title', op: 'regex', value: pattern }]);
  const subject = { title, summary: null, content: null, url: null, author: null, labels: [] };
  return matchRules(subject, rules).length === 1;
}

describe('\\b in rules is a Unicode word boundary', () => {
  it.each([
    ['\\bبورس\\b', 'شاخص بورس تهران', true],
    ['\\bبورس\\b', 'بورس', true],
    ['\\bبورس\\b', '(بورس)، سهام', true],
    ['\\bبورس\\b', 'بورسیه تحصیلی', false],
    ['\\bبورس\\b', 'فرابورس', false],
    ['\\bکار\\b', 'کار و کارگر', true],
    ['\\bکار\\b', 'روز کارگر', false],
    ['\\bکار\\b', 'بیکاری', false],
    ['\\bکار\\b', 'بازار كار', true], // Arabic Kaf in the text
    ['\\bکار\\b', 'کارِ امروز', true], // a kasra, which normalising drops
  ])('%s on «%s» → %s', (pattern, title, expected) => {
    expect(matches(pattern, title)).toBe(expected);
  });

  it('treats ZWNJ as the space it becomes in rule text: «کتاب‌ها» holds the word کتاب, «کتابها» does not', () => {
    expect(matches('\\bکتاب\\b', 'کتاب‌ها')).toBe(true);
    expect(matches('\\bکتاب\\b', 'کتاب ها')).toBe(true);
    expect(matches('\\bکتاب\\b', 'کتابها')).toBe(false);
    expect(matches('\\bمی‌رود\\b', 'او می‌رود')).toBe(true);
    expect(matches('\\bمی‌رود\\b', 'او می رود')).toBe(true);
    expect(matches('\\bمی‌رود\\b', 'او میرود')).toBe(false);
  });

  it('counts a mark as part of its word, as a letter', () => {
    expect(matches('\\bx\\b', 'x\u0301 y')).toBe(false);
    expect(matches('\\bx\u0301\\b', 'x\u0301 y')).toBe(true);
  });

  it('counts digits of any script as word characters', () => {
    expect(matches('\\b1403\\b', 'سال ۱۴۰۳ خورشیدی')).toBe(true);
    expect(matches('\\b۱۴۰۳\\b', 'سال 1403')).toBe(true);
    expect(matches('\\b1403\\b', 'سال ١٤٠٣')).toBe(true);
    expect(matches('\\b1403\\b', 'کد ۱۴۰۳۵')).toBe(false);
    expect(matches('\\b1403\\b', 'ب۱۴۰۳')).toBe(false);
    expect(matches('\\bcovid\\b', 'covid19')).toBe(false);
    expect(matches('\\bcovid\\b', 'COVID-19')).toBe(true);
  });

  it('leaves Latin words as they were, and no longer splits Latin from Persian letters', () => {
    expect(matches('\\bcat\\b', 'The Cat sat')).toBe(true);
    expect(matches('\\bcat\\b', 'concatenate')).toBe(false);
    expect(matches('\\bcat\\b', 'cat_food')).toBe(false);
    expect(matches('\\biphone\\b', 'iPhoneها')).toBe(false);
    expect(matches('\\biphone\\b', 'iPhone ۱۶')).toBe(true);
  });

  it('\\B is the opposite: inside a word', () => {
    expect(matches('کار\\B', 'کارگر')).toBe(true);
    expect(matches('کار\\B', 'سر کار')).toBe(false);
    expect(matches('\\Bگر\\b', 'کارگر')).toBe(true);
    expect(matches('\\Bگر\\b', 'گر')).toBe(false);
    expect(matches('\\B(?:ها|ان)\\b', 'درختان')).toBe(true);
  });

  it('works before groups and optional letters, where the next character is not known', () => {
    expect(matches('\\b(?:بورس|فرابورس)\\b', 'فرابورس')).toBe(true);
    expect(matches('\\b(?:بورس|فرابورس)\\b', 'بورسیه')).toBe(false);
    expect(matches('\\bن?کار\\b', 'نکار')).toBe(true);
    expect(matches('\\bن?کار\\b', 'بیکار')).toBe(false);
    expect(matches('x\\b', 'x y')).toBe(true);
  });

  it('reads a whole escape before a boundary, so \\u002E (a dot) is not taken for the letter E', () => {
    expect(matches('\\u002E\\b', 'a.b')).toBe(true);
    expect(matches('\\u002E\\b', 'a. b')).toBe(false);
    expect(matches('\\x41\\b', 'A b')).toBe(true);
    expect(matches('\\p{L}\\b', '۱۲')).toBe(false);
    expect(matches('\\p{L}\\b', 'ب ۱۲')).toBe(true);
  });

  it('leaves an escaped backslash followed by b, and a backspace in a class, alone', () => {
    expect(unicodeWordBoundaries('a\\\\b')).toBe('a\\\\b');
    expect(unicodeWordBoundaries('[\\b]')).toBe('[\\b]');
    expect(unicodeWordBoundaries('[^\\]\\b]x')).toBe('[^\\]\\b]x');
    expect(unicodeWordBoundaries('a\\\\\\b')).toBe(`a\\\\${unicodeWordBoundaries('\\b')}`);
    expect(matches('a\\\\b', 'a\\b')).toBe(true);
    expect(matches('a\\\\b', 'ab')).toBe(false);
    const [backspace] = compileRules([{ categoryId: 1, field: 'title', op: 'regex', value: 'x[\\b]y' }]);
    expect(backspace!.test('x\by')).toBe(true);
    expect(backspace!.test('x y')).toBe(false);
  });

  it('reads [] and [^] as JavaScript does: complete classes, so what follows is still rewritten and checked', () => {
    expect(unicodeWordBoundaries('[^]\\bx')).toBe(`[^]${unicodeWordBoundaries('\\bx')}`);
    expect(regexProblem('([^]+)+x')).toMatch(/exponential/);
  });

  it('keeps ordinary rules acceptable, a rewritten boundary inside a repeat among them, and stays fast there', () => {
    for (const pattern of ['\\bبورس\\b', '(\\bکار\\b )+', '\\B(?:ها|ان)\\b', '\\b\\d{4}\\b', '(?<=\\bدر )بورس']) expect(regexProblem(pattern)).toBeNull();
    expect(matches('(\\bکار\\b )+!', `${'کار '.repeat(5000)}کارگر`)).toBe(false);
  });

  it('refuses a pattern that only old, non-Unicode JavaScript accepts, saying why', () => {
    expect(regexProblem('a\\-b')).toMatch(/not a valid regular expression.*Unicode patterns \(flag u\)/);
    expect(regexProblem('\\b+')).toMatch(/not a valid regular expression \(.*Nothing to repeat\)$/);
  });

  it('agrees with JavaScript\'s \\b and \\B on ASCII text and ASCII patterns', () => {
    const atom = fc.constantFrom('a', 'b', '1', '_', ' ', '-', '.', '\\d', '\\w', '\\W', '(?:a|b1)', '[a-]', '\\\\', '\\x2E', '\\u0061', '\\u{5F}');
    const quantifier = fc.constantFrom('', '', '', '?', '*', '+', '{0,2}', '{1,2}');
    const piece = fc.oneof(fc.constantFrom('\\b', '\\B', '|'), fc.tuple(atom, quantifier).map(([a, q]) => a + q));
    const pattern = fc.array(piece, { minLength: 1, maxLength: 6 }).map((pieces) => pieces.join(''));
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', '1', '_', ' ', '-', '.', '\\'), maxLength: 16 });
    fc.assert(
      fc.property(pattern, text, (source, input) => {
        const ours = new RegExp(unicodeWordBoundaries(source), 'iu').exec(input);
        const native = new RegExp(source, 'iu').exec(input);
        expect(ours?.index).toBe(native?.index);
        expect(ours?.[0]).toBe(native?.[0]);
      }),
      { numRuns: 500 },
    );
  });
});
