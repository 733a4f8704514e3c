import { Controller, Get, HttpCode, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  type ChangePasswordBody,
  changePasswordBody,
  type LoginBody,
  loginBody,
  meResponse,
  sessionResponse,
  type SignupBody,
  signupBody,
  type UserView,
} from '../accounts/accounts.dto';
import { AccountsService } from '../accounts/accounts.service';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { AppError } from '../core/app-error';
import { ZodBody, ZodResponse } from '../core/zod-validation';
import { CurrentUser, Public, UserRoute, type UserPrincipal } from './decorators';
import { LoginGuard } from './login.guard';
import { RetryAfterFilter } from './retry-after.filter';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('auth')
@UseFilters(RetryAfterFilter)
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly sessions: SessionsService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** Creates an account with its first tenant (the caller becomes its owner) and logs in. */
  @Post('signup')
  @Public()
  @ZodResponse(201, sessionResponse)
  async signup(@ZodBody(signupBody) body: SignupBody, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.openSession(await this.accounts.signup(body, request.ip), request, response);
  }

  /** Email and password (Passport local strategy); 429 with Retry-After under brute-force limits. */
  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(LoginGuard)
  @ZodResponse(200, sessionResponse)
  login(@ZodBody(loginBody) _body: LoginBody, @Req() request: Request & { user: UserView }, @Res({ passthrough: true }) response: Response) {
    return this.openSession(request.user, request, response);
  }

  @Post('logout')
  @UserRoute()
  @HttpCode(204)
  async logout(@CurrentUser() user: UserPrincipal, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.sessions.revoke(user.sessionId);
    response.clearCookie(SESSION_COOKIE, { ...sessionCookieOptions(this.config.COOKIE_SECURE), maxAge: undefined });
  }

  @Get('me')
  @UserRoute()
  @ZodResponse(200, meResponse)
  me(@CurrentUser() user: UserPrincipal) {
    return this.accounts.me(user.userId);
  }

  /** The CSRF token of the current session again (after a page reload), for the x-csrf-token header. */
  @Get('csrf')
  @UserRoute()
  csrf(@Req() request: Request) {
    const token = (request.signedCookies as Record<string, string | false>)[SESSION_COOKIE];
    if (!token) throw new AppError('unauthenticated', 'no session cookie');
    return { csrfToken: this.sessions.csrfToken(token) };
  }

  /** Changes the password and logs out every other session of the user. */
  @Post('password')
  @UserRoute()
  @HttpCode(204)
  async changePassword(@CurrentUser() user: UserPrincipal, @ZodBody(changePasswordBody) body: ChangePasswordBody, @Req() request: Request) {
    await this.accounts.changePassword(user, body, request.ip ?? 'unknown');
  }

  private async openSession(user: UserView, request: Request, response: Response) {
    const session = await this.sessions.create(user.id, { ip: request.ip, userAgent: request.header('user-agent') });
    response.cookie(SESSION_COOKIE, session.token, sessionCookieOptions(this.config.COOKIE_SECURE));
    return { ...(await this.accounts.me(user.id)), csrfToken: session.csrfToken };
  }
}
