import { z } from 'zod';

/** Reusable field types for app config schemas. Each parses the string form an env var has. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `must be a URL with scheme ${protocols.join(' or ')}` },
  );

export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => ['true', '1', 'yes'].includes(value));

/** A secret: at least `minBytes` bytes, given as hex or base64. Never printed in errors. */
export const secretKey = (minBytes: number) =>
  z.string().refine((value) => decodeKey(value)?.length === minBytes, {
    message: `must be ${minBytes} bytes as hex (${minBytes * 2} characters) or base64`,
  });

export function decodeKey(value: string): Buffer | undefined {
  if (/^[0-9a-f]+$/i.test(value) && value.length % 2 === 0) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return Buffer.from(value, 'base64');
  return undefined;
}

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

export const nodeEnv = z.enum(['development', 'test', 'production']).default('development');
