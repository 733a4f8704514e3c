import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard as PassportGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { loginBody } from '../accounts/accounts.dto';
import { ZodPipe } from '../core/zod-validation';

const validateLogin = new ZodPipe(loginBody, 'body');

/**
 * Runs the local strategy. The body is validated first (guards run before pipes), so a malformed log-in is a 400
 * naming the field rather than Passport's bare 401, and the strategy sees the normalised (lowercase) email.
 */
@Injectable()
export class LoginGuard extends PassportGuard('local') {
  override canActivate(context: ExecutionContext) {
    const request = context.switchToHttp().getRequest<Request>();
    request.body = validateLogin.transform(request.body);
    return super.canActivate(context);
  }
}
