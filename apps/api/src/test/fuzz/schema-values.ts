import fc from 'fast-check';

/** The subset of JSON Schema 2020-12 that zod writes for our request schemas. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
}

/**
 * A generated input and what the API owes it: `forbidden` input (the schema, or the API-wide rules of ADR 0007,
 * refuse it) must get a 4xx; `allowed` input may get anything but a 5xx.
 */
export interface Sample {
  value: unknown;
  verdict: 'forbidden' | 'allowed';
  /** Where the mutation is, for the failure message. */
  at: string;
}

export interface Hints {
  /** Ids of real resources (in several tenants), so that allowed ids reach past the 404. */
  uuids: string[];
  /** The same, by the kind of resource a parameter names (`domains`, `keyId`, …), when the world knows it. */
  uuidsByKind: Record<string, string[]>;
  /** Values that make a field valid, by property name, where its schema cannot say (emails, passwords). */
  byName: Record<string, unknown>;
}

const NEAR_UUIDS = [
  'ffffffff-ffff-ffff-ffff-fffffffffff-',
  '------------------------------------',
  '0123456789abcdef0123456789abcdef0123',
  '{01900000-0000-7000-8000-000000000000}',
  '0190000000007000800000000000000',
  '01900000-0000-7000-8000-00000000000g',
];
const BAD_DATES = ['not-a-date', '2024-02-30T00:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01', '2024-01-01T25:00:00Z', '1e10'];
const EDGE_DATES = ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z', '2999-12-31T23:59:59.999Z', '1969-12-31T23:59:59Z', '2024-06-01T12:00:00+14:00'];
const BAD_QUERY_INTEGERS = ['0x10', '1e1', '-1', '1.5', 'abc', ' 5', '+5', '0b11', '99999999999999999999'];
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

const typesOf = (schema: JsonSchema): string[] => (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []);
const nonNull = (schema: JsonSchema): JsonSchema | undefined => schema.anyOf?.find((branch) => branch.type !== 'null');
const nullable = (schema: JsonSchema): boolean => typesOf(schema).includes('null') || (schema.anyOf?.some((b) => b.type === 'null') ?? false);

/** A value the schema accepts, used as the unmutated rest of a request. */
export function baseValue(schema: JsonSchema, hints: Hints, name = ''): unknown {
  if (name in hints.byName) return hints.byName[name];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const inner = nonNull(schema);
  if (inner) return baseValue(inner, hints, name);
  const type = typesOf(schema).find((t) => t !== 'null');
  switch (type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((key) => [key, baseValue(schema.properties?.[key] ?? {}, hints, key)]));
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, Math.min(schema.maximum ?? 1, 1));
    case 'boolean':
      return false;
    case 'string':
      return baseString(schema, hints);
    default:
      return null;
  }
}

function baseString(schema: JsonSchema, hints: Hints): string {
  if (schema.format === 'uuid') return hints.uuids[0]!;
  if (schema.format === 'date-time') return new Date(Date.now() + 86_400_000).toISOString();
  if (schema.pattern) return fc.sample(fc.stringMatching(new RegExp(schema.pattern)), { numRuns: 1, seed: 1 })[0]!;
  return 'f'.repeat(Math.max(schema.minLength ?? 0, Math.min(4, schema.maxLength ?? 4)));
}

const sample = (verdict: Sample['verdict'], at: string) => (value: unknown): Sample => ({ value, verdict, at });

/**
 * Strings that any text transport (path, query, header) can carry. NUL is refused API-wide; lone surrogates cannot
 * be encoded in a URL or header at all, so they are only sent in JSON bodies (jsonValues).
 */
export function textValues(schema: JsonSchema, hints: Hints, at: string, transport: 'path' | 'query' | 'header', kind = ''): fc.Arbitrary<Sample> {
  const forbidden = sample('forbidden', at);
  const allowed = sample('allowed', at);
  const type = typesOf(nonNull(schema) ?? schema)[0];
  const options: fc.Arbitrary<Sample>[] = [];
  if (type === 'integer') {
    options.push(fc.constantFrom(...BAD_QUERY_INTEGERS).map(forbidden));
    if (schema.maximum !== undefined) options.push(fc.constant(String(schema.maximum + 1)).map(forbidden), fc.constant(String(schema.maximum)).map(allowed));
    if (schema.minimum !== undefined && schema.minimum > 0) options.push(fc.constant(String(schema.minimum - 1)).map(forbidden));
    return fc.oneof(...options);
  }
  const uuids = hints.uuidsByKind[kind] ?? hints.uuids;
  const strings = fc.oneof(...stringValues(schema, { ...hints, uuids }, at));
  // Headers carry Latin-1 only; fetch refuses anything else before sending.
  if (transport === 'header') return strings.filter((s) => typeof s.value === 'string' && /^[\x20-\x7e]*$/.test(s.value));
  const nul = fc.constantFrom('a\u0000b', '\u0000', `${'f'.repeat(8)}\u0000`).map(forbidden);
  return fc.oneof({ arbitrary: strings, weight: 3 }, { arbitrary: nul, weight: 1 });
}

/** String values by format, pattern, enum and length: forbidden and allowed. */
function stringValues(schema: JsonSchema, hints: Hints, at: string): fc.Arbitrary<Sample>[] {
  const forbidden = sample('forbidden', at);
  const allowed = sample('allowed', at);
  const options: fc.Arbitrary<Sample>[] = [];
  if (schema.enum) {
    options.push(fc.constantFrom(...(schema.enum as string[])).map(allowed), fc.constant('not-one-of-them').map(forbidden));
    return options;
  }
  if (schema.format === 'uuid') {
    // Real ids, in upper case as often as not: a stored id must be found whatever its case (cause 7 of issue 13).
    const real = fc.constantFrom(...hints.uuids).chain((id) => fc.constantFrom(id, id.toUpperCase()));
    return [fc.oneof({ arbitrary: real.map(allowed), weight: 4 }, fc.uuid({ version: 7 }).map(allowed), fc.constantFrom(...NEAR_UUIDS).map(forbidden))];
  }
  if (schema.format === 'date-time') {
    options.push(fc.constantFrom(...BAD_DATES).map(forbidden), fc.constantFrom(...EDGE_DATES).map(allowed));
    return options;
  }
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    options.push(fc.stringMatching(pattern).filter((s) => withinLength(schema, s)).map(allowed));
    // Schemas may trim before matching: a string that matches once trimmed is not forbidden.
    options.push(fc.string({ maxLength: 40 }).filter((s) => !pattern.test(s) && !pattern.test(s.trim())).map(forbidden));
  }
  if (schema.maxLength !== undefined && schema.maxLength < 5000) {
    options.push(fc.constant('x'.repeat(schema.maxLength + 1)).map(forbidden));
    if (!schema.pattern) options.push(fc.constant('x'.repeat(schema.maxLength)).map(allowed));
  }
  if ((schema.minLength ?? 0) > 0) options.push(fc.constant('').map(forbidden));
  if (!schema.pattern) options.push(fc.string({ unit: 'grapheme', maxLength: Math.min(schema.maxLength ?? 30, 30) }).map(allowed));
  return options;
}

const withinLength = (schema: JsonSchema, s: string) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? Infinity);

/** JSON values for a body schema: one mutation somewhere in an otherwise valid value. */
export function jsonValues(schema: JsonSchema, hints: Hints, at: string, name = ''): fc.Arbitrary<Sample> {
  const forbidden = sample('forbidden', at);
  const allowed = sample('allowed', at);
  const inner = nonNull(schema);
  if (inner) return jsonValues(inner, hints, at, name).map((s) => (s.value === null ? { ...s, verdict: 'allowed' } : s));
  const type = typesOf(schema).find((t) => t !== 'null');
  const wrongTypes = (accepts: string[]) =>
    fc.constantFrom<unknown>(7, true, 'text', [], {}, ...(nullable(schema) ? [] : [null])).filter((v) => !accepts.includes(jsonType(v))).map(forbidden);
  switch (type) {
    case 'object':
      return objectValues(schema, hints, at);
    case 'array': {
      const item = schema.items ?? {};
      const options = [wrongTypes(['array']), jsonValues(item, hints, `${at}[0]`).map((s) => ({ ...s, value: [s.value] }))];
      if (schema.maxItems !== undefined) options.push(fc.constant(Array.from({ length: schema.maxItems + 1 }, () => baseValue(item, hints))).map(forbidden));
      return fc.oneof(...options);
    }
    case 'integer':
    case 'number': {
      const max = schema.maximum ?? MAX_SAFE;
      const min = schema.minimum ?? -MAX_SAFE;
      const options = [wrongTypes(['number']), fc.constant(max).map(allowed), fc.constant(min).map(allowed)];
      if (schema.maximum !== undefined) options.push(fc.constantFrom(max + 1, 2 ** 53).map(forbidden));
      if (schema.minimum !== undefined) options.push(fc.constant(min - 1).map(forbidden));
      if (type === 'integer') options.push(fc.constant(1.5).map(forbidden));
      return fc.oneof(...options);
    }
    case 'boolean':
      return fc.oneof(wrongTypes(['boolean']), fc.boolean().map(allowed));
    case 'string': {
      const unstorable = fc.constantFrom('a\u0000b', '\ud800', 'x\udc00y', '\udfff\ud800').map(forbidden);
      return fc.oneof(wrongTypes(['string']), unstorable, ...stringValues(schema, hints, at));
    }
    default:
      return fc.constant(baseValue(schema, hints, name)).map(allowed);
  }
}

function objectValues(schema: JsonSchema, hints: Hints, at: string): fc.Arbitrary<Sample> {
  const forbidden = sample('forbidden', at);
  const base = baseValue(schema, hints) as Record<string, unknown>;
  const keys = Object.keys(schema.properties ?? {});
  const options: fc.Arbitrary<Sample>[] = [fc.constantFrom<unknown>('text', 7, [], null).map(forbidden)];
  for (const key of schema.required ?? []) {
    const { [key]: _dropped, ...rest } = base;
    options.push(fc.constant(rest).map(sample('forbidden', `${at}.${key} (missing)`)));
  }
  if (schema.additionalProperties === false) options.push(fc.constant({ ...base, unexpectedField: 1 }).map(sample('forbidden', `${at}.unexpectedField`)));
  for (const key of keys) {
    options.push(jsonValues(schema.properties![key]!, hints, `${at}.${key}`, key).map((s) => ({ ...s, value: { ...base, [key]: s.value } })));
  }
  return fc.oneof(...options);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'number' ? 'number' : typeof value;
}
