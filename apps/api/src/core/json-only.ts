import type { NextFunction, Request, Response } from 'express';
import { AppError } from './app-error';

/**
 * Every body the API reads is JSON (the Stripe webhook's too; its signature covers the raw bytes, which the JSON
 * parser keeps). Anything else is refused before it is parsed. This is also what keeps log-in CSRF out: a
 * cross-site form can only send urlencoded, multipart or text/plain bodies, and a cross-site `application/json`
 * needs a CORS preflight, which the API never grants.
 */
export function requireJsonBodies(request: Request, _response: Response, next: NextFunction): void {
  if (!carriesBody(request) || request.is('application/json')) return next();
  next(new AppError('unsupported_media_type', 'the request body must be application/json'));
}

function carriesBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
