import { applyDecorators, type CanActivate, type ExecutionContext, Inject, Injectable, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { secretDigest, verifySecret } from '@smarthost/relay-policy';
import type { Request } from 'express';
import { Public } from '../auth/decorators';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { AppError } from '../core/app-error';
import { bearerToken } from './bearer-token';

/**
 * Operators have no accounts yet: they present OPERATOR_TOKEN from the config. Comparing digests in constant time
 * means neither the token's content nor its length shows in response timing. Without OPERATOR_TOKEN every request
 * is refused.
 */
@Injectable()
export class OperatorGuard implements CanActivate {
  private readonly expectedDigest: string | undefined;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.expectedDigest = config.OPERATOR_TOKEN ? secretDigest(config.OPERATOR_TOKEN) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const token = bearerToken(context.switchToHttp().getRequest<Request>());
    if (!token || !this.expectedDigest || !verifySecret(token, this.expectedDigest)) {
      throw new AppError('unauthenticated', 'send the operator token as a bearer token');
    }
    return true;
  }
}

/** Public to the tenant auth guard, which knows nothing of operators; the operator guard decides instead. */
export const OperatorRoute = () => applyDecorators(Public(), UseGuards(OperatorGuard), ApiBearerAuth('operator'));
