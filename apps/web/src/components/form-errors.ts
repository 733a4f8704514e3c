import { ApiError } from '../api/api-error';

export type FieldErrors = Record<string, string>;

/** Client-side checks first; once they pass, the server's field messages from the last attempt. */
export function mergeErrors(client: FieldErrors, serverError: unknown): FieldErrors {
  const server = serverError instanceof ApiError ? serverError.fields : {};
  return { ...server, ...client };
}

/** The message for the form as a whole: anything the fields do not already show. */
export function formMessage(error: unknown): { message: string; reference?: string } | null {
  if (!error) return null;
  if (error instanceof ApiError) {
    if (Object.keys(error.fields).length > 0) return { message: 'Some fields need attention; see the messages next to them.' };
    return { message: error.message, ...(error.correlationId ? { reference: error.correlationId } : {}) };
  }
  return { message: 'Something went wrong. Try again.' };
}

export function required(value: FormDataEntryValue | null, message = 'Fill this in.'): string | undefined {
  return typeof value === 'string' && value.trim() ? undefined : message;
}

export function compact(errors: Record<string, string | undefined>): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter((entry): entry is [string, string] => Boolean(entry[1])));
}
