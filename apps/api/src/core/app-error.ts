/**
 * The closed set of domain errors. Services throw AppError; the HTTP filter maps each code to a status
 * exhaustively, so a new code cannot ship without a decision about what the client sees.
 */
export type AppErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'precondition_failed'
  | 'payment_required'
  | 'unsupported_media_type'
  | 'unavailable';

export interface FieldIssue {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fields: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }

  static notFound(what: string): AppError {
    return new AppError('not_found', `${what} not found`);
  }

  static invalid(field: string, message: string): AppError {
    return new AppError('validation_failed', `${field}: ${message}`, [{ field, message }]);
  }
}

export function httpStatus(code: AppErrorCode): number {
  switch (code) {
    case 'validation_failed':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'payment_required':
      return 402;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'gone':
      return 410;
    case 'precondition_failed':
      return 412;
    case 'unsupported_media_type':
      return 415;
    case 'rate_limited':
      return 429;
    case 'unavailable':
      return 503;
    default: {
      const unreachable: never = code;
      throw new Error(`unmapped error code ${String(unreachable)}`);
    }
  }
}
