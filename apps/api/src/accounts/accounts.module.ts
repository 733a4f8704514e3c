import { Module } from '@nestjs/common';
import { LoginLimiter } from '../auth/login-limiter';
import { TenantsModule } from '../tenants/tenants.module';
import { AccountsService } from './accounts.service';

@Module({ imports: [TenantsModule], providers: [AccountsService, LoginLimiter], exports: [AccountsService] })
export class AccountsModule {}
