import { describe, expect, it } from 'vitest';
import { compileRules, foldPattern, matchRules, regexProblem, type Rule, type RuleSubject } from '../../src/core/rules.ts';

const subject = (over: Partial<RuleSubject> = {}): RuleSubject => ({ title: '', summary: null, content: null, url: null, author: null, labels: [], ...over });
const run = (rules: Rule[], s: RuleSubject) => matchRules(s, compileRules(rules));

describe('contains rules', () => {
  it('match Persian-normalised text: Arabic Yeh and Kaf, ZWNJ, tatweel, harakat, digits, case', () => {
    const rule: Rule = { categoryId: 1, field: 'title', op: 'contains', value: 'می‌کند کتاب ۱۴۰۳' };
    expect(run([rule], subject({ title: 'او مي كند كتاب 1403 را' }))).toEqual([1]);
    expect(run([rule], subject({ title: 'او میـکند کتاب ۱۴۰۳' }))).toEqual([]);
    expect(run([{ categoryId: 2, field: 'author', op: 'contains', value: 'IRNA' }], subject({ author: 'Irna News' }))).toEqual([2]);
  });

  it('look at the field they name; text is title, summary and content; label is any label', () => {
    const s = subject({ title: 'عنوان', summary: 'چکیده', content: 'متن کامل', labels: ['ورزش', 'فوتبال'], url: 'https://news.example/%D9%88%D8%B1%D8%B2%D8%B4/1' });
    expect(run([{ categoryId: 1, field: 'title', op: 'contains', value: 'چکیده' }], s)).toEqual([]);
    expect(run([{ categoryId: 1, field: 'summary', op: 'contains', value: 'چکیده' }], s)).toEqual([1]);
    expect(run([{ categoryId: 1, field: 'text', op: 'contains', value: 'متن کامل' }], s)).toEqual([1]);
    expect(run([{ categoryId: 1, field: 'content', op: 'contains', value: 'عنوان' }], s)).toEqual([]);
    expect(run([{ categoryId: 1, field: 'label', op: 'contains', value: 'فوتبال' }], s)).toEqual([1]);
    expect(run([{ categoryId: 1, field: 'url', op: 'contains', value: '/ورزش/' }], s)).toEqual([1]);
  });

  it('give each category once, and a blank value matches nothing', () => {
    const rules: Rule[] = [
      { categoryId: 1, field: 'title', op: 'contains', value: 'الف' },
      { categoryId: 1, field: 'title', op: 'contains', value: 'ب' },
      { categoryId: 2, field: 'title', op: 'contains', value: '\u200c' },
    ];
    expect(run(rules, subject({ title: 'الف ب' }))).toEqual([1]);
  });
});

describe('regex rules', () => {
  it('run on normalised text with the pattern folded the same way', () => {
    expect(foldPattern('^كتاب\\s+\\S+ ۱۲')).toBe('^کتاب\\s+\\S+ 12');
    const rule: Rule = { categoryId: 3, field: 'title', op: 'regex', value: '^(انتخابات|مجلس)\\s' };
    expect(run([rule], subject({ title: 'مجلس يازدهم' }))).toEqual([3]);
    expect(run([rule], subject({ title: 'در مجلس' }))).toEqual([]);
    expect(run([{ categoryId: 4, field: 'title', op: 'regex', value: 'COVID-\\d+' }], subject({ title: 'covid-19' }))).toEqual([4]);
  });

  it.each([
    ['(a+)+$', /exponential/],
    ['(a|a)*', /exponential/],
    ['(?:x\\d+){2,5}', /exponential/],
    ['((ab)*c)+', /exponential/],
    ['(a)\\1', /backreference/],
    ['(?<n>a)\\k<n>', /backreference/],
    ['a.*b.*c', /too costly/],
    ['\\d+\\s*%', /too costly/],
    ['x{1,1000}y{1,1000}', /too costly/],
    ['(', /not a valid regular expression/],
    ['a**', /not a valid regular expression/],
    ['', /empty/],
    ['a'.repeat(201), /at most 200/],
  ])('%s is refused', (pattern, message) => {
    expect(regexProblem(pattern)).toMatch(message);
  });

  it.each(['(ab)+', '[(+*]+', 'انتخابات|مجلس', '\\p{L}+\\d{1,3}', 'a{2}b', '\\d{1,3}\\s{0,3}درصد', '^(?:آ|ا)ب', '(?=.*a)b'])('%s is allowed', (pattern) => {
    expect(regexProblem(pattern)).toBeNull();
  });

  it('looks only at the window of text its cost allows: all of it for a plain pattern, less with an unbounded repeat', () => {
    const [plain] = compileRules([{ categoryId: 1, field: 'content', op: 'regex', value: 'ac' }]);
    const [star] = compileRules([{ categoryId: 1, field: 'content', op: 'regex', value: 'a.*c' }]);
    const far = `a${'x'.repeat(5000)}c`;
    expect(plain!.test(`${'x'.repeat(15_000)}ac`)).toBe(true);
    expect(star!.test(far)).toBe(false);
    expect(star!.test(`a${'x'.repeat(1000)}c`)).toBe(true);
  });

  it('skips a stored pattern that no longer passes the check instead of running it', () => {
    expect(compileRules([{ categoryId: 1, field: 'title', op: 'regex', value: '(a+)+' }])).toEqual([]);
  });
});
