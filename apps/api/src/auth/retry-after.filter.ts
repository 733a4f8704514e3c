import { type ArgumentsHost, Catch, Inject } from '@nestjs/common';
import type { Logger } from '@smarthost/logger';
import type { Response } from 'express';
import { HttpErrorFilter } from '../core/http-error.filter';
import { LOGGER } from '../core/tokens';
import { RateLimited } from './login-limiter';

/** A 429 tells the client when to come back (RFC 9110 §10.2.3); the body is the usual error shape. */
@Catch(RateLimited)
export class RetryAfterFilter extends HttpErrorFilter {
  constructor(@Inject(LOGGER) logger: Logger) {
    super(logger);
  }

  override catch(exception: RateLimited, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(exception.retryAfterSeconds));
    super.catch(exception, host);
  }
}
