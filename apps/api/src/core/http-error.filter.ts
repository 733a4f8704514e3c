import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Logger } from '@smarthost/logger';
import type { Request, Response } from 'express';
import { AppError, httpStatus } from './app-error';

interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[]; correlationId: string };
}

/** Prisma's known request errors, by code, that are the client's fault rather than ours. */
function prismaClientError(error: unknown): AppError | undefined {
  const code = (error as { code?: unknown })?.code;
  if (code === 'P2002') return new AppError('conflict', 'a resource with these values already exists');
  if (code === 'P2025') return new AppError('not_found', 'resource not found');
  return undefined;
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
    const [status, body] = this.toBody(exception, correlationId);
    if (status >= 500) this.logger.error({ err: exception, correlationId, path: request.path }, 'request failed');
    if (!response.headersSent) response.status(status).json(body);
  }

  private toBody(exception: unknown, correlationId: string): [number, ErrorBody] {
    const appError = exception instanceof AppError ? exception : prismaClientError(exception);
    if (appError) {
      const fields = appError.fields.length > 0 ? appError.fields : undefined;
      return [httpStatus(appError.code), { error: { code: appError.code, message: appError.message, fields, correlationId } }];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : status < 500 ? 'bad_request' : 'internal';
      const message = status < 500 ? exception.message : 'internal error';
      return [status, { error: { code, message, correlationId } }];
    }
    if ((exception as { type?: string })?.type === 'entity.parse.failed') {
      return [400, { error: { code: 'validation_failed', message: 'body: malformed JSON', fields: [{ field: 'body', message: 'malformed JSON' }], correlationId } }];
    }
    return [500, { error: { code: 'internal', message: 'internal error', correlationId } }];
  }
}
