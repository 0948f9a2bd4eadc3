// The inputs the fuzz targets are fed, independent of any one format: JSON values nobody vouches for
// (keys such as toString and __proto__, numbers at the edges of every range, strings past every
// length limit), records shaped like a format with each field's value plausible, hostile or absent,
// nesting far deeper than any stack, and byte-level mutations of real fixtures (flip, set, insert,
// delete, truncate, duplicate, repeat, splice, a suspicious 32-bit length written over the bytes).
import fc from 'fast-check';

/** Keys that break naive code: conversions to string (`${value}`), prototype setters, thenables. */
const HOSTILE_KEYS = ['toString', 'valueOf', '__proto__', 'constructor', 'hasOwnProperty', 'then', 'length', 'toJSON'] as const;

/** An object with exactly these own properties, `__proto__` included as a plain key (as JSON.parse makes it). */
function ownRecord(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  return record;
}

const EDGE_NUMBERS = [0, -0, 1, -1, 0.5, -0.5, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e9 + 1, 1e12, 1e12 + 1, 1e15, 1e21, 1e308, -1e308, 5e-324];

/** JSON-representable numbers: edges of every range the model and the platforms use, and anything else. */
export const number: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...EDGE_NUMBERS),
  fc.integer(),
  fc.nat(100_000),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const LIMITS = [0, 1, 20, 21, 40, 41, 64, 65, 100, 101, 128, 129, 200, 201, 300, 301, 500, 501, 2000, 2001];

/** Strings: short random text in any script, numbers as text, and strings just at and past every length limit. */
export const text: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 12 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }), weight: 1 },
  { arbitrary: fc.constantFrom('', '0', '-1', ' 12 ', '39.90', '1e400', '9007199254740993', '7311000000000000001', 'null', '[object Object]', '**', '\u0000', '\ud800'), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom(...LIMITS), fc.constantFrom('x', '字', '"', '\\', ',')).map(([n, c]) => c.repeat(n)), weight: 1 },
);

/** Object keys: the hostile ones, and random ones. */
const key: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 6 }));

/**
 * Objects that break conversions: `${value}`, Number(value) and `value.length >= n` throw on them
 * (their toString or valueOf is not a function), as JSON.parse hands them over.
 */
const trap: fc.Arbitrary<Record<string, unknown>> = fc.constantFrom(
  '{"toString":1}',
  '{"toString":null,"valueOf":[]}',
  '{"length":{"toString":false}}',
  '{"length":{"valueOf":{},"toString":{}}}',
  '{"length":1000000000}',
  '{"__proto__":{"toString":1}}',
).map((json) => JSON.parse(json) as Record<string, unknown>);

/** Any JSON value up to a few levels deep, with hostile keys and edge values. */
export const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.constant(null),
    fc.boolean(),
    number,
    text,
    trap,
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map(ownRecord),
})).value;

/** A field's value as it comes from a relay: the plausible one most of the time, else anything. */
function field<T>(plausible: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: plausible, weight: 4 }, { arbitrary: jsonValue, weight: 1 });
}

/**
 * A record shaped like a format: each of its fields present or not, with a plausible or a hostile
 * value, and now and then a few keys the format does not have.
 */
export function shaped(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const model = Object.fromEntries(Object.entries(fields).map(([name, plausible]) => [name, field(plausible)]));
  return fc
    .tuple(fc.record(model, { requiredKeys: [] }), fc.array(fc.tuple(key, jsonValue), { maxLength: 2 }))
    .map(([record, extra]) => ownRecord([...Object.entries(record), ...extra]));
}

/** JSON text nested deeper than any recursive walk survives: arrays, objects, or both, around an optional core. */
export const deepJsonText: fc.Arbitrary<string> = fc
  .record({ depth: fc.integer({ min: 2_000, max: 120_000 }), open: fc.constantFrom('[', '{"a":', '[{"b":'), core: fc.constantFrom('1', '"x"', '{}') })
  .map(({ depth, open, core }) => {
    const close = [...open].filter((c) => c === '[' || c === '{').map((c) => (c === '[' ? ']' : '}')).reverse().join('');
    return open.repeat(depth) + core + close.repeat(depth);
  });

/** One byte-level change, its positions as fractions of the input's length (so it fits any input). */
interface Mutation {
  op: 'flip' | 'set' | 'insert' | 'delete' | 'truncate' | 'duplicate' | 'repeat' | 'splice' | 'length';
  at: number;
  span: number;
  value: number;
  bytes: Uint8Array;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('flip', 'set', 'insert', 'delete', 'truncate', 'duplicate', 'repeat', 'splice', 'length'),
  at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  span: fc.double({ min: 0, max: 1, noNaN: true }),
  value: fc.nat(),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
});

/** Lengths a decoder must not trust: zero, just below and past the end, the largest 31- and 32-bit values. */
const SUSPICIOUS_LENGTHS = [0, 1, 15, 16, 17, 0x7fffffff, 0xffffffff, 0x10000, 0x1000000];

function apply(data: Uint8Array, m: Mutation, fixtures: readonly Uint8Array[]): Uint8Array {
  const b = Buffer.from(data);
  const at = Math.floor(m.at * b.length);
  const span = 1 + Math.floor(m.span * Math.min(64, b.length));
  switch (m.op) {
    case 'flip':
      if (b.length > 0) b[at] ^= 1 << (m.value % 8);
      return b;
    case 'set':
      if (b.length > 0) b[at] = [0x00, 0xff, 0x7f, 0x80, 0x22, 0x5c, 0x7b, 0x0a][m.value % 8];
      return b;
    case 'insert':
      return Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
    case 'delete':
      return Buffer.concat([b.subarray(0, at), b.subarray(at + span)]);
    case 'truncate':
      return b.subarray(0, at);
    case 'duplicate':
      return Buffer.concat([b.subarray(0, at + span), b.subarray(at, at + span), b.subarray(at + span)]);
    case 'repeat': {
      // A short run repeated up to ~16,000 times: long inputs with long runs, where super-linear parsing shows.
      const run = b.subarray(at, at + Math.min(span, 16));
      return Buffer.concat([b.subarray(0, at), ...Array<Uint8Array>(1 + (m.value % 16_000)).fill(run), b.subarray(at)]);
    }
    case 'splice': {
      const other = fixtures[m.value % fixtures.length];
      return Buffer.concat([b.subarray(0, at), other.subarray(Math.floor(m.span * other.length))]);
    }
    case 'length': {
      if (b.length < 4) return b;
      const pos = Math.min(at, b.length - 4);
      const value = m.value % 2 ? SUSPICIOUS_LENGTHS[m.value % SUSPICIOUS_LENGTHS.length] : (b.length + (m.value % 5) - 2) >>> 0;
      b.writeUInt32BE(value, pos);
      return b;
    }
  }
}

/** A real fixture with one to four byte-level mutations. */
export function mutatedBytes(fixtures: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  if (fixtures.length === 0) throw new Error('no fixtures to mutate');
  return fc
    .record({ base: fc.nat(fixtures.length - 1), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) })
    .map(({ base, mutations }) => mutations.reduce<Uint8Array>((data, m) => apply(data, m, fixtures), fixtures[base]));
}

/** A real text fixture with byte-level mutations, read back as UTF-8 (broken sequences become U+FFFD). */
export function mutatedText(fixtures: readonly string[]): fc.Arbitrary<string> {
  return mutatedBytes(fixtures.map((f) => Buffer.from(f))).map((b) => Buffer.from(b).toString('utf8'));
}

/** One change to a JSON value: a node replaced by anything, removed, or doubled. */
interface Edit {
  op: 'replace' | 'remove' | 'wrap';
  at: number;
  value: unknown;
}

const edit: fc.Arbitrary<Edit> = fc.record({
  op: fc.constantFrom('replace', 'replace', 'remove', 'wrap'),
  at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  value: jsonValue,
});

/** Every (parent, key) slot of a JSON value, in a fixed order. */
function slots(root: unknown): [Record<string, unknown> | unknown[], string | number][] {
  const found: [Record<string, unknown> | unknown[], string | number][] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [k, v] of entries) {
      found.push([value as Record<string, unknown>, k]);
      stack.push(v);
    }
  }
  return found;
}

/** A copy of a JSON value (own `__proto__` keys stay own keys), so that no generated value is shared or changed. */
export function copyJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function applyEdit(root: unknown, e: Edit): unknown {
  const all = slots(root);
  const value = copyJson(e.value);
  if (all.length === 0) return e.op === 'replace' ? value : root;
  const [parent, k] = all[Math.floor(e.at * all.length)];
  if (Array.isArray(parent)) {
    const i = k as number;
    if (e.op === 'remove') parent.splice(i, 1);
    else parent[i] = e.op === 'wrap' ? [parent[i], copyJson(parent[i])] : value;
  } else if (e.op === 'remove') delete parent[k];
  else Object.defineProperty(parent, k, { value: e.op === 'wrap' ? [parent[k], copyJson(parent[k])] : value, enumerable: true, writable: true, configurable: true });
  return root;
}

/** A real JSON fixture (a fresh copy) with one to three of its values replaced, removed or doubled. */
export function mutatedJson<T>(fixtures: readonly T[]): fc.Arbitrary<unknown> {
  if (fixtures.length === 0) throw new Error('no fixtures to mutate');
  return fc
    .record({ base: fc.nat(fixtures.length - 1), edits: fc.array(edit, { minLength: 1, maxLength: 3 }) })
    .map(({ base, edits }) => edits.reduce<unknown>((value, e) => applyEdit(value, e), copyJson(fixtures[base])));
}
