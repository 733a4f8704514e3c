import { Module } from '@nestjs/common';
import { dnsResolverProvider } from '../domains/dns-resolver.provider';
import { InboundRoutesController } from './inbound-routes.controller';
import { InboundRoutesService } from './inbound-routes.service';
import { RelayLoopCheck } from './relay-loop';

@Module({ controllers: [InboundRoutesController], providers: [InboundRoutesService, RelayLoopCheck, dnsResolverProvider] })
export class InboundRoutesModule {}
