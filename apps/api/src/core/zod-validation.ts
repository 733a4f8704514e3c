import { Body, Param, Query, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { AppError, type FieldIssue } from './app-error';
import { uuid } from './input-schemas';
import { findUnstorableString } from './storable-text';

/**
 * Validates one request part with a zod schema; a failure becomes a 400 naming each field. Every part is first
 * checked for strings Postgres cannot store, so no schema, old or new, can let a NUL through to the database.
 */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly part: 'body' | 'query' | 'params',
  ) {}

  transform(value: unknown): z.infer<S> {
    const unstorable = findUnstorableString(value);
    if (unstorable) {
      throw AppError.invalid([this.part, ...unstorable.path].join('.'), 'must not contain NUL characters or unpaired UTF-16 surrogates');
    }
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const fields: FieldIssue[] = result.error.issues.map((issue) => ({
      field: [this.part, ...issue.path.map(String)].join('.'),
      message: issue.message,
    }));
    throw new AppError('validation_failed', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
  }
}

export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    // Dates travel as ISO 8601 strings in JSON; say so, or generated clients see `unknown`.
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === 'date') Object.assign(ctx.jsonSchema, { type: 'string', format: 'date-time' });
      if (ctx.jsonSchema.queryInteger) documentQueryInteger(ctx.jsonSchema);
    },
  }) as Record<string, unknown>;
  // Each schema is embedded in the OpenAPI document, which declares its own dialect.
  delete json.$schema;
  return json;
}

/** queryInteger() reads digits from a string; clients see the integer it stands for. */
function documentQueryInteger(json: Record<string, unknown>): void {
  const { minimum, maximum, default: fallback } = json;
  for (const key of Object.keys(json)) delete json[key];
  Object.assign(json, { type: 'integer', minimum, maximum }, fallback === undefined ? {} : { default: fallback });
}

function methodDescriptor(target: object, key: string | symbol | undefined): PropertyDescriptor {
  const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
  if (!descriptor) throw new Error('zod request decorators go on controller method parameters');
  return descriptor;
}

/** `@ZodBody(schema) body: z.infer<typeof schema>` — validation and the OpenAPI request body from one schema. */
export function ZodBody(schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    Body(new ZodPipe(schema, 'body'))(target, key, index);
    ApiBody({ schema: openApiSchema(schema) })(target, key!, methodDescriptor(target, key));
  };
}

export function ZodQuery(schema: z.ZodObject): ParameterDecorator {
  return (target, key, index) => {
    Query(new ZodPipe(schema, 'query'))(target, key, index);
    const json = openApiSchema(schema) as { properties?: Record<string, object>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      ApiQuery({ name, required: json.required?.includes(name) ?? false, schema: property })(
        target,
        key!,
        methodDescriptor(target, key),
      );
    }
  };
}

export function ZodParam(name: string, schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    Param(name, new ZodPipe(schema, 'params'))(target, key, index);
    ApiParam({ name, required: true, schema: openApiSchema(schema) })(target, key!, methodDescriptor(target, key));
  };
}

/** Documents a response body with the same zod schema the service's return type is checked against. */
export function ZodResponse(status: number, schema: z.ZodType, description = ''): MethodDecorator {
  return ApiResponse({ status, description, schema: openApiSchema(schema) });
}

/** A path id: canonical lower case, as stored and as sealed into DKIM keys' authenticated data. */
export const uuidParam = uuid;
