import { Module } from '@nestjs/common';
import { dnsResolverProvider } from '../domains/dns-resolver.provider';
import { BlacklistCheckWorker } from './blacklist-check.worker';
import { BlacklistController } from './blacklist.controller';
import { BlacklistService } from './blacklist.service';
import { OperatorBlacklistController } from './operator-blacklist.controller';

@Module({
  controllers: [BlacklistController, OperatorBlacklistController],
  // The same resolver the domain checks use (config DNS_SERVERS), built from the same provider.
  providers: [BlacklistService, dnsResolverProvider, BlacklistCheckWorker],
})
export class BlacklistModule {}
