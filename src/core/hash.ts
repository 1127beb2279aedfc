/**
 * A fast, synchronous 53-bit string hash (cyrb53) for change detection and cache keys.
 * Not for security: tokens use SHA-256.
 */
export function hashText(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return digest(h1, h2);
}

/**
 * `hashText(JSON.stringify(record))` for a plain object, without building the JSON: its string
 * fields, usually the long ones, are hashed as JSON would write them, and other values through
 * JSON.stringify. The digest is the same, so hashes stored before this existed still compare.
 */
export function hashJson(record: Readonly<Record<string, unknown>>, seed = 0): string {
  const state = Int32Array.of(0xdeadbeef ^ seed, 0x41c6ce57 ^ seed);
  let separator = '{';
  for (const key of Object.keys(record)) {
    const value = record[key];
    const json = typeof value === 'string' ? null : jsonOf(value);
    // JSON leaves out a field whose value it cannot write (undefined, a function, a symbol).
    if (json === undefined) continue;
    mix(state, separator);
    mix(state, fieldName(key));
    if (json === null) mixJsonString(state, value as string);
    else mix(state, json);
    separator = ',';
  }
  mix(state, separator === '{' ? '{}' : '}');
  return digest(state[0]!, state[1]!);
}

/**
 * `"key":` as JSON writes it, kept for the few field names records have: hashing each name
 * character by character cost more than the lookup, and made the text loop see more kinds of string.
 */
function fieldName(key: string): string {
  let json = FIELD_NAMES.get(key);
  if (json === undefined) {
    if (FIELD_NAMES.size >= 64) FIELD_NAMES.clear();
    json = `${JSON.stringify(key)}:`;
    FIELD_NAMES.set(key, json);
  }
  return json;
}
const FIELD_NAMES = new Map<string, string>();

/**
 * JSON.stringify(value) for a value that is not a string. Nulls and dates, in every item,
 * skip its generic path: a date took a microsecond through toJSON and toISOString.
 */
function jsonOf(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (value instanceof Date && value.toJSON === DATE_TO_JSON && value.toISOString === DATE_TO_ISO) {
    const year = value.getUTCFullYear();
    // Invalid dates are null, and years outside 0-9999 are written with six digits and a sign.
    if (!(year >= 0 && year <= 9999)) return JSON.stringify(value);
    return `"${pad(year, 4)}-${pad(value.getUTCMonth() + 1, 2)}-${pad(value.getUTCDate(), 2)}T${pad(value.getUTCHours(), 2)}:${pad(value.getUTCMinutes(), 2)}:${pad(value.getUTCSeconds(), 2)}.${pad(value.getUTCMilliseconds(), 3)}Z"`;
  }
  return JSON.stringify(value) as string | undefined;
}

// A date is written by these unless someone replaced them; then JSON.stringify decides.
const DATE_TO_JSON = Date.prototype.toJSON;
const DATE_TO_ISO = Date.prototype.toISOString;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

// The running halves of a hash being fed in pieces, [h1, h2]. An Int32Array, not an object's
// fields: the halves span the whole 32-bit range, and such fields would be boxed on every write.
type State = Int32Array;

/**
 * Called through this, not as `text.charCodeAt`: the texts come as flat, joined and
 * internalised strings alike, each kind its own hidden class, and a method looked up on more
 * than four of them is looked up again for every character (several times slower).
 */
const charCodeAt = String.prototype.charCodeAt;

function mix(state: State, text: string, from = 0, to = text.length): void {
  let h1 = state[0]!;
  let h2 = state[1]!;
  for (let i = from; i < to; i++) {
    const ch = charCodeAt.call(text, i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  state[0] = h1;
  state[1] = h2;
}

/** Mixes `text` as JSON.stringify writes it: quoted, with `"`, `\`, control characters and lone surrogates escaped. */
function mixJsonString(state: State, text: string): void {
  mix(state, '"');
  const end = text.length;
  for (let at = mixUnescaped(state, text, 0, end); at < end; at = mixUnescaped(state, text, at, end)) {
    const ch = charCodeAt.call(text, at);
    const next = charCodeAt.call(text, at + 1);
    if (ch <= 0xdbff && ch >= 0xd800 && next >= 0xdc00 && next <= 0xdfff) {
      mix(state, text, at, at + 2);
      at += 2;
    } else {
      const escaped = JSON.stringify(text[at]);
      mix(state, escaped, 1, escaped.length - 1);
      at += 1;
    }
  }
  mix(state, '"');
}

/**
 * Mixes `text` from `from` up to the first character JSON may escape (`"`, `\`, a control
 * character or a surrogate) and returns where it stopped. The loop holds nothing else: with
 * the escaping inside it, it ran several times slower.
 */
function mixUnescaped(state: State, text: string, from: number, end: number): number {
  let h1 = state[0]!;
  let h2 = state[1]!;
  let i = from;
  for (; i < end; i++) {
    const ch = charCodeAt.call(text, i);
    if (ch < 0x20 || ch === 0x22 || ch === 0x5c || (ch & 0xf800) === 0xd800) break;
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  state[0] = h1;
  state[1] = h2;
  return i;
}

function digest(h1: number, h2: number): string {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return base36(4294967296 * (2097151 & h2) + (h1 >>> 0));
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * `n.toString(36)` for a whole number below 2^53, digit by digit: each step is exact in a
 * double, and V8's general radix conversion (built for fractions too) took a microsecond.
 */
export function base36(n: number): string {
  let out = '';
  do {
    const digit = n % 36;
    out = DIGITS[digit] + out;
    n = (n - digit) / 36;
  } while (n > 0);
  return out;
}
