import { AppError } from './app-error';

/**
 * Prisma's errors that a client's input can cause, as the client's error. The schemas should refuse such input
 * first (input-schemas.ts); when one does not, the caller still gets a 4xx, and the filter logs the gap.
 *
 * Codes: https://www.prisma.io/docs/orm/reference/error-reference. With a driver adapter, a Postgres error Prisma
 * has no code for arrives as P2010 (raw query) or P2039 with the SQLSTATE in `meta.driverAdapterError`.
 */
export function prismaInputError(error: unknown): AppError | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string' || !/^P\d{4}$/.test(code)) return undefined;
  switch (code) {
    case 'P2002':
      return new AppError('conflict', 'a resource with these values already exists');
    case 'P2003':
      return new AppError('conflict', 'the change refers to a resource that does not exist or is still in use');
    case 'P2034':
      return new AppError('conflict', 'a concurrent change got there first; try again');
    case 'P2015':
    case 'P2018':
    case 'P2025':
      return new AppError('not_found', 'resource not found');
    case 'P2000': // value too long for the column
    case 'P2006': // value not valid for the field
    case 'P2007': // data validation (e.g. invalid uuid text)
    case 'P2011': // null in a required column
    case 'P2019': // input error
    case 'P2020': // value out of range for the type
    case 'P2023': // inconsistent column data
    case 'P2033': // number does not fit in 64 bits
      return unstorable();
    case 'P2010':
    case 'P2039':
      return byState(sqlState(error));
    default:
      return undefined;
  }
}

function unstorable(): AppError {
  return new AppError('validation_failed', 'a value in the request cannot be stored');
}

/** SQLSTATE classes (https://www.postgresql.org/docs/current/errcodes-appendix.html) that input can cause. */
function byState(state: string | undefined): AppError | undefined {
  if (state === undefined) return undefined;
  // Data exceptions (NUL, a date out of range, a bad escape in jsonb), a missing value, a failed check.
  if (state.startsWith('22') || state === '23502' || state === '23514') return unstorable();
  if (state.startsWith('23')) return new AppError('conflict', 'the change conflicts with existing data');
  if (state === '40001' || state === '40P01' || state === '55P03') {
    return new AppError('conflict', 'a concurrent change got there first; try again');
  }
  return undefined;
}

function sqlState(error: unknown): string | undefined {
  const meta = (error as { meta?: Record<string, unknown> }).meta;
  const cause = (meta?.driverAdapterError as { cause?: { originalCode?: unknown; code?: unknown } } | undefined)?.cause;
  const state = cause?.originalCode ?? cause?.code ?? meta?.code;
  return typeof state === 'string' ? state : undefined;
}
