/** What the API sends for every failure: `{ error: { code, message, fields?, correlationId } }`. */
interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[]; correlationId?: string };
}

const PLAIN: Record<string, string> = {
  unauthenticated: 'Your session has ended. Log in again.',
  forbidden: 'Your role in this team does not allow this. Ask an owner or admin.',
  not_found: 'This no longer exists. It may have been deleted.',
  payment_required: 'Your plan does not include this. Upgrade the plan to continue.',
  unavailable: 'The service is busy right now. Try again in a minute.',
  internal: 'Something went wrong on our side. Try again; if it keeps happening, contact support with the reference below.',
};

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as ErrorBody | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.code === 'string';
}

/** A failed API call, in words a customer can act on, with the server's per-field messages keyed by field name. */
export class ApiError extends Error {
  readonly fields: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    fields: { field: string; message: string }[] = [],
    readonly correlationId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.fields = {};
    for (const issue of fields) {
      const name = fieldName(issue.field);
      this.fields[name] ??= sentence(issue.message);
    }
  }

  static fromResponse(response: Response, body: unknown): ApiError {
    if (!isErrorBody(body)) return new ApiError(response.status, 'internal', PLAIN.internal!);
    const { code, message, fields, correlationId } = body.error;
    if (code === 'rate_limited') {
      const wait = response.headers.get('retry-after');
      return new ApiError(response.status, code, `Too many attempts. Wait ${wait ? `${wait} seconds` : 'a little'} and try again.`);
    }
    return new ApiError(response.status, code, PLAIN[code] ?? sentence(message), fields, correlationId);
  }

  static network(): ApiError {
    return new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
}

/** `body.allowedSenders.2` → `allowedSenders`: forms show one message per input. */
function fieldName(path: string): string {
  const parts = path.split('.');
  const start = ['body', 'query', 'params', 'header'].includes(parts[0] ?? '') ? 1 : 0;
  return parts[start] ?? path;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}
