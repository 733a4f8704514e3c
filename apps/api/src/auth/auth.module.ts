import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AccountsModule } from '../accounts/accounts.module';
import { AuthController } from './auth.controller';
import { LocalStrategy } from './local.strategy';
import { SessionsService } from './sessions.service';

@Module({
  imports: [PassportModule.register({ session: false }), AccountsModule],
  controllers: [AuthController],
  providers: [SessionsService, LocalStrategy],
})
export class AuthModule {}
