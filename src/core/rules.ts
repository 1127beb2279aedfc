/**
 * Category rules: "when an item's field contains this text, or matches this pattern, it
 * belongs to that category". Pure: plain values in, category ids out. Everything is compared
 * on Persian-normalised keys (normaliseKey), so a rule written with Persian Yeh matches text
 * published with Arabic Yeh, a ZWNJ matches a space and «۱۴۰۳» matches 1403. In patterns,
 * `\b` and `\B` are Unicode word boundaries, so `\bکار\b` finds «کار» but not «کارگر».
 */
import { normaliseKey } from './persian.ts';
import { classEnd, unicodeWordBoundaries } from './rule-boundaries.ts';

export const RULE_FIELDS = ['title', 'summary', 'content', 'text', 'url', 'author', 'label'] as const;
export const RULE_OPS = ['contains', 'regex'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];
export type RuleOp = (typeof RULE_OPS)[number];

export interface Rule {
  categoryId: number;
  field: RuleField;
  op: RuleOp;
  value: string;
}

/** An item's text as a reader sees it: HTML already reduced to text. */
export interface RuleSubject {
  title: string;
  summary: string | null;
  content: string | null;
  url: string | null;
  author: string | null;
  labels: readonly string[];
}

export const MAX_PATTERN_LENGTH = 200;

/**
 * Backtracking steps a pattern may cost on one field, estimated from its shape: a pattern
 * with u unbounded repeats and bounded ones allowing F ways costs about F·n^(u+1) on n
 * characters. Each pattern gets the longest window of text that keeps it under budget
 * (a few milliseconds in the worst case), at most MAX_REGEX_INPUT characters.
 */
const STEP_BUDGET = 5_000_000;
export const MAX_REGEX_INPUT = 20_000;
/** A pattern that could only look at fewer characters than this is refused as too costly. */
const MIN_REGEX_INPUT = 300;

/**
 * Why a pattern is refused, or null when it is fine. The check is syntactic, so no pattern
 * ever needs a timeout: no backreferences, no repeated group that itself repeats or
 * branches (the `(a+)+` and `(a|a)*` shapes that backtrack exponentially), a length cap and
 * a cost budget (in practice: one unbounded repeat such as `.*` or `\s+`, and bounded ones).
 */
export function regexProblem(pattern: string): string | null {
  const shape = shapeOf(pattern);
  return 'problem' in shape ? shape.problem : null;
}

type Shape = { problem: string } | { window: number; regex: RegExp };

/**
 * Shapes by pattern, kept between ingest runs: a Unicode word boundary costs the engine about
 * a millisecond to compile, and rules are compiled for every source fetched. A regex without
 * the g flag keeps no state, so one can serve every run.
 */
const shapes = new Map<string, Shape>();
const MAX_SHAPES = 256;

function shapeOf(pattern: string): Shape {
  let shape = shapes.get(pattern);
  if (!shape) {
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    shape = analysePattern(pattern);
    shapes.set(pattern, shape);
  }
  return shape;
}

/**
 * The check runs on the pattern as written; the regex that runs has Unicode word boundaries
 * (rule-boundaries.ts), whose lookarounds add no repeats and no backtracking.
 */
function analysePattern(pattern: string): Shape {
  if (pattern.length === 0) return { problem: 'must not be empty' };
  if (pattern.length > MAX_PATTERN_LENGTH) return { problem: `must be at most ${MAX_PATTERN_LENGTH} characters` };
  const folded = foldPattern(pattern);
  const invalid = syntaxProblem(folded);
  if (invalid) return { problem: invalid };
  const cost = repeatCost(pattern);
  if (typeof cost === 'string') return { problem: cost };
  const window = Math.min(MAX_REGEX_INPUT, Math.floor((STEP_BUDGET / cost.ways) ** (1 / (cost.unbounded + 1))));
  if (window < MIN_REGEX_INPUT) {
    return { problem: `is too costly to run on long text; use at most one unbounded repeat (.*, \\s+) and small bounded ones (\\s{0,5}) for the rest` };
  }
  return { window, regex: new RegExp(unicodeWordBoundaries(folded), 'iu') };
}

/**
 * Rules are Unicode-mode patterns (flag u): `\p{L}` works and word boundaries can be made
 * Unicode-aware, but stray escapes and brackets that older JavaScript let pass are errors, so
 * a pattern that fails only for that reason says so.
 */
function syntaxProblem(folded: string): string | null {
  try {
    new RegExp(folded, 'iu');
    return null;
  } catch (error) {
    const reason = `is not a valid regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, '')})`;
    try {
      new RegExp(folded, 'i');
    } catch {
      return reason;
    }
    return `${reason}; rules are Unicode patterns (flag u), so escape only characters that mean something in a pattern (write - not \\-) and escape a lone ], { or }`;
  }
}

interface Group {
  repeats: boolean;
  branches: boolean;
}

const REPEAT_AT = /^(?:[*+?]|\{(\d+)(?:(,)(\d*))?\})/;

/** Unbounded repeats, and the product of the choices bounded ones (and `?`) allow; or the refusal. */
function repeatCost(pattern: string): { unbounded: number; ways: number } | string {
  const stack: Group[] = [{ repeats: false, branches: false }];
  let unbounded = 0;
  let ways = 1;
  let closed: Group | null = null;
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i]!;
    const top = stack[stack.length - 1]!;
    const repeat = REPEAT_AT.exec(pattern.slice(i));
    if (repeat) {
      const [text, min, comma, max] = repeat;
      if (closed && (closed.repeats || closed.branches)) {
        return 'repeats a group that itself repeats or branches, as in (a+)+ or (a|b)*; such patterns can take exponential time, rewrite it';
      }
      if (text === '*' || text === '+' || max === '') unbounded++;
      else if (text === '?') ways *= 2;
      else if (comma !== undefined) ways *= Math.max(1, Number(max) - Number(min) + 1);
      top.repeats = true;
      i += text.length;
      if (pattern[i] === '?') i++;
      closed = null;
      continue;
    }
    closed = null;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return 'uses a backreference, which Chapar does not allow in rules';
      i += 2;
    } else if (ch === '[') {
      i = classEnd(pattern, i);
    } else if (ch === '(') {
      stack.push({ repeats: false, branches: false });
      i += /^\(\?(?:<[=!]|[:=!]|<[A-Za-z_$][\w$]*>)/.exec(pattern.slice(i))?.[0].length ?? 1;
    } else if (ch === ')') {
      closed = stack.length > 1 ? stack.pop()! : null;
      if (closed) {
        const parent = stack[stack.length - 1]!;
        parent.repeats ||= closed.repeats;
        parent.branches ||= closed.branches;
      }
      i++;
    } else {
      if (ch === '|') top.branches = true;
      i++;
    }
  }
  return { unbounded, ways };
}

/**
 * The pattern's Persian and Arabic letters, digits and joiners folded the way normaliseKey
 * folds text; ASCII syntax is left alone (normaliseKey itself would lowercase `\S` to `\s`).
 */
export function foldPattern(pattern: string): string {
  return pattern.replace(/[^\x00-\x7f]/gu, (ch) => (/[\u200B-\u200D]/.test(ch) ? ' ' : normaliseKey(ch)));
}

export interface CompiledRule {
  categoryId: number;
  field: RuleField;
  test(key: string): boolean;
}

/** Rules ready to run; a stored pattern that no longer passes the check is skipped, never run. */
export function compileRules(rules: readonly Rule[]): CompiledRule[] {
  const out: CompiledRule[] = [];
  for (const rule of rules) {
    if (rule.op === 'contains') {
      const needle = normaliseKey(rule.value);
      if (needle !== '') out.push({ categoryId: rule.categoryId, field: rule.field, test: (key) => key.includes(needle) });
    } else {
      const shape = shapeOf(rule.value);
      if ('problem' in shape) continue;
      const { regex, window } = shape;
      out.push({ categoryId: rule.categoryId, field: rule.field, test: (key) => regex.test(key.slice(0, window)) });
    }
  }
  return out;
}

/** The categories whose rules the item satisfies, each once, in rule order. */
export function matchRules(subject: RuleSubject, rules: readonly CompiledRule[]): number[] {
  if (rules.length === 0) return [];
  const keys = new Map<RuleField, string[]>();
  const keysOf = (field: RuleField): string[] => {
    let found = keys.get(field);
    if (!found) {
      found = fieldText(subject, field).map(normaliseKey);
      keys.set(field, found);
    }
    return found;
  };
  const ids = new Set<number>();
  for (const rule of rules) {
    if (ids.has(rule.categoryId)) continue;
    if (keysOf(rule.field).some((key) => rule.test(key))) ids.add(rule.categoryId);
  }
  return [...ids];
}

function fieldText(subject: RuleSubject, field: RuleField): string[] {
  switch (field) {
    case 'title':
      return [subject.title];
    case 'summary':
      return [subject.summary ?? ''];
    case 'content':
      return [subject.content ?? ''];
    case 'text':
      return [[subject.title, subject.summary ?? '', subject.content ?? ''].join(' ')];
    case 'url':
      return [readableUrl(subject.url ?? '')];
    case 'author':
      return [subject.author ?? ''];
    case 'label':
      return [...subject.labels];
  }
}

/** Percent-encoded Persian in a URL path, decoded so a rule can name the word. */
function readableUrl(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}
