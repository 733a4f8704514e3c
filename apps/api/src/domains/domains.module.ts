import { Module } from '@nestjs/common';
import { DomainRecheckWorker } from '../jobs/domain-recheck.worker';
import { dnsResolverProvider } from './dns-resolver.provider';
import { DomainsController } from './domains.controller';
import { DomainsService } from './domains.service';

@Module({
  controllers: [DomainsController],
  providers: [DomainsService, dnsResolverProvider, DomainRecheckWorker],
  exports: [DomainsService],
})
export class DomainsModule {}
