import fc from 'fast-check';

/*
 * Generators of hostile request bodies for property-based fuzzing: whole bodies of the wrong type,
 * and valid bodies with one to three fields replaced by something nasty, fields removed, or keys
 * added that have no business there (`$` operators, dotted paths, `__proto__`, `constructor`).
 */

/** A number literal written into the JSON text as is (JSON.stringify cannot write 1e309 or -0). */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** A body that is sent as the given text, not as JSON of a value (malformed JSON, other types). */
export class RawText {
  constructor(
    readonly text: string,
    readonly contentType = 'application/json',
  ) {}
}

const RAW_NUMBERS = [
  '1e309',
  '-1e309',
  '1e-400',
  '-0',
  '0.1',
  '12.5',
  '1.0',
  '9007199254740993',
  '123456789012345678901234567890',
  '-1',
];

const NASTY_STRINGS = [
  '',
  ' ',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '0x10',
  '12.5',
  'null',
  'true',
  '__proto__',
  'constructor',
  '{"$gt":""}',
  '$where',
  'a.b',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "'; DROP TABLE orders; --",
  '\u0000',
  '\ud800',
  '\u202e',
  '65a1b2c3d4e5f60718293a4b',
  '000000000000000000000000',
  'ffffffffffffffffffffffff',
  '2026-02-30',
  '9999-12-31T23:59:59Z',
  '郑州'.repeat(600),
  'a'.repeat(70_000),
];

const NASTY_NUMBERS = [
  -1,
  -0.5,
  0.5,
  1.5,
  0,
  1,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e21,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
];

/** Keys that must never reach a query or an object merge. */
export const NASTY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '$gt',
  '$ne',
  '$where',
  '$set',
  '$',
  'a.b',
  'status',
  'amountFen',
  'providerOrgId',
  'role',
  'id',
  '_id',
  '',
  'toString',
];

const scalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.constantFrom(...RAW_NUMBERS.map((n) => new RawNumber(n))),
  fc.constantFrom(...NASTY_NUMBERS),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ minLength: 200, maxLength: 3000 }),
  fc.stringMatching(/^[a-f0-9]{24}$/),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);

const key: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ maxLength: 12 }));

/** Any JSON-ish value, a few levels deep, made of the above. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; array: unknown[]; object: object }>(
  (tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  }),
).value;

type Path = (string | number)[];

/** Every path into a value (object keys and array indices), the root excluded. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

type Mutation =
  | { kind: 'set'; path: Path; value: unknown }
  | { kind: 'delete'; path: Path }
  | { kind: 'add'; path: Path; key: string; value: unknown };

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function applyMutation(body: unknown, m: Mutation): unknown {
  const root = { v: clone(body) } as Record<string, unknown>;
  const full = ['v', ...m.path];
  let parent: Record<string | number, unknown> = root;
  for (const k of full.slice(0, m.kind === 'add' ? undefined : -1)) {
    const next = parent[k];
    if (next === null || typeof next !== 'object') return root.v; // an earlier mutation changed the shape
    parent = next as Record<string | number, unknown>;
  }
  const last = full[full.length - 1]!;
  if (m.kind === 'set') parent[last] = m.value;
  else if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (!Array.isArray(parent)) {
    Object.defineProperty(parent, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return root.v;
}

/**
 * Bodies for an endpoint whose valid body is `valid`: mostly the valid body with one to three
 * fields made hostile, sometimes something else entirely (another type, malformed JSON text).
 */
export function hostileBody(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid);
  const containers: Path[] = [[], ...paths.filter((p) => typeof getAt(valid, p) === 'object')];
  const addAnywhere: fc.Arbitrary<Mutation> = fc.record({
    kind: fc.constant('add' as const),
    path: fc.constantFrom(...containers),
    key,
    value: hostileValue,
  });
  const set: fc.Arbitrary<Mutation> = paths.length
    ? fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...paths), value: hostileValue })
    : addAnywhere;
  const remove: fc.Arbitrary<Mutation> = paths.length
    ? fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...paths) })
    : addAnywhere;
  const mutation = fc.oneof(
    { weight: 5, arbitrary: set },
    { weight: 1, arbitrary: remove },
    { weight: 2, arbitrary: addAnywhere },
  );
  const mutated = fc
    .array(mutation, { minLength: 1, maxLength: 3 })
    .map((ms) => ms.reduce<unknown>((b, m) => applyMutation(b, m), valid));
  return fc.oneof(
    { weight: 8, arbitrary: mutated },
    { weight: 2, arbitrary: hostileValue },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string({ maxLength: 40 }).map((s) => new RawText(s)),
        fc.constantFrom(
          new RawText('{"a":'),
          new RawText('{"__proto__":{"polluted":"yes"}}'),
          new RawText('{"constructor":{"prototype":{"polluted":"yes"}}}'),
          new RawText('[' + '['.repeat(5000) + ']'.repeat(5000) + ']'),
          new RawText('{"a":1,"a":2}'),
          new RawText('\ufeff{}'),
          new RawText('title=x&amountFen=1', 'application/x-www-form-urlencoded'),
          new RawText('<order/>', 'application/xml'),
          new RawText('{}', 'text/plain'),
          new RawText('{}', 'application/json; charset=utf-16'),
        ),
      ),
    },
  );
}

function getAt(v: unknown, path: Path): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)?.[k], v);
}

/** The JSON text of a generated body: RawNumber literals written as they are. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawNumber) return value.text;
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  return `{${Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
    .join(',')}}`;
}

/** What to send: the text and its content type. */
export function encodeBody(body: unknown): { text: string; contentType: string } {
  if (body instanceof RawText) return { text: body.text, contentType: body.contentType };
  return { text: toJsonText(body), contentType: 'application/json' };
}

/** A short description of a body for failure messages. */
export function describeBody(body: unknown): string {
  const { text, contentType } = encodeBody(body);
  return `${contentType} ${text.length > 400 ? `${text.slice(0, 400)}… (${text.length} chars)` : text}`;
}
