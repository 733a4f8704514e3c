import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import type { UserView } from '../accounts/accounts.dto';
import { AccountsService } from '../accounts/accounts.service';

/** Passport's email + password strategy; every rule (limits, timing, generic error) lives in AccountsService. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly accounts: AccountsService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false });
  }

  validate(request: Request, email: string, password: string): Promise<UserView> {
    return this.accounts.authenticate(email, password, request.ip ?? 'unknown');
  }
}
