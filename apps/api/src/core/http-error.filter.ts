import { STATUS_CODES } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Logger } from '@smarthost/logger';
import type { Request, Response } from 'express';
import { AppError, httpStatus } from './app-error';
import { prismaInputError } from './prisma-errors';

export interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[]; correlationId: string };
}

/**
 * Maps every error to one JSON shape. Bad input is a 4xx naming the field; anything unexpected is a 500 that says
 * nothing internal and carries the correlation id that is also in the log line with the stack.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const correlationId = String(request.id ?? '');
    const { status, body, fromDatabase } = errorResponse(exception, correlationId);
    if (status >= 500) this.logger.error({ err: exception, correlationId, path: request.path }, 'request failed');
    // The request reached Postgres with a value its schema should have refused: answered 4xx, but worth fixing.
    else if (fromDatabase) this.logger.warn({ err: exception, correlationId, path: request.path }, 'input refused by the database');
    if (!response.headersSent) response.status(status).json(body);
  }
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** The error came from Postgres (through Prisma) rather than from our own validation. */
  fromDatabase: boolean;
}

export function errorResponse(exception: unknown, correlationId: string): ErrorResponse {
  const prismaError = exception instanceof AppError ? undefined : prismaInputError(exception);
  const appError = exception instanceof AppError ? exception : (prismaError ?? parserError(exception));
  if (appError) {
    const fields = appError.fields.length > 0 ? appError.fields : undefined;
    const body = { error: { code: appError.code, message: appError.message, fields, correlationId } };
    return { status: httpStatus(appError.code), body, fromDatabase: prismaError !== undefined };
  }
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    const status = exception.getStatus();
    const code = status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
    // Errors raised by Express or its body parser carry their input in the message: say only what happened.
    const message = exception.cause === undefined ? exception.message : (STATUS_CODES[status] ?? 'bad request');
    return { status, body: { error: { code, message, correlationId } }, fromDatabase: false };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error', correlationId } }, fromDatabase: false };
}

/**
 * Malformed JSON, as body-parser reports it (Nest wraps it in a BadRequestException with the parser's error as the
 * cause). The parser's message quotes the body, so neither it nor the bytes go back to the client.
 */
function parserError(exception: unknown): AppError | undefined {
  const cause = exception instanceof HttpException ? exception.cause : exception;
  if ((cause as { type?: unknown })?.type !== 'entity.parse.failed') return undefined;
  return AppError.invalid('body', 'must be valid JSON');
}
