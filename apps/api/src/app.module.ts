import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { Logger } from '@smarthost/logger';
import { AuthGuard } from './auth/auth.guard';
import { BillingModule } from './billing/billing.module';
import { BlacklistModule } from './blacklist/blacklist.module';
import type { ApiConfig } from './config/api-config';
import { CoreModule } from './core/core.module';
import { HttpErrorFilter } from './core/http-error.filter';
import { LOGGER } from './core/tokens';
import { DkimModule } from './dkim/dkim.module';
import { DomainsModule } from './domains/domains.module';
import { HealthModule } from './health/health.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { MembersModule } from './members/members.module';
import { TenantsModule } from './tenants/tenants.module';
import { CredentialsModule } from './credentials/credentials.module';
import { InboundRoutesModule } from './inbound-routes/inbound-routes.module';
import { PolicyModule } from './policy/policy.module';
import { RelayNodesModule } from './relay-nodes/relay-nodes.module';
import { ReputationModule } from './reputation/reputation.module';
import { SuppressionsModule } from './suppressions/suppressions.module';
import { RelayDkimModule } from './relay-dkim/relay-dkim.module';
import { OperatorTenantsModule } from './operator-tenants/operator-tenants.module';

import { EventsModule } from './events/events.module';
import { MessagesModule } from './messages/messages.module';
import { StatsModule } from './stats/stats.module';
import { SmtpSettingsModule } from './smtp-settings/smtp-settings.module';
import { RejectionsModule } from './rejections/rejections.module';

/** Feature modules, one per folder. Add a feature here and nowhere else. */
const FEATURES = [EventsModule, MessagesModule, RejectionsModule, StatsModule, SmtpSettingsModule, CredentialsModule, InboundRoutesModule, SuppressionsModule, RelayNodesModule, RelayDkimModule, OperatorTenantsModule, PolicyModule, DomainsModule, DkimModule, HealthModule, AuthModule, TenantsModule, MembersModule, ApiKeysModule, AuditModule, BlacklistModule, BillingModule, ReputationModule];

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(config, logger), ...FEATURES],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useFactory: (log: Logger) => new HttpErrorFilter(log), inject: [LOGGER] },
      ],
    };
  }
}
