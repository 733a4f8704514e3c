import { Module } from '@nestjs/common';
import { RelayNodesModule } from '../relay-nodes/relay-nodes.module';
import { RelayDkimController } from './relay-dkim.controller';

@Module({ imports: [RelayNodesModule], controllers: [RelayDkimController] })
export class RelayDkimModule {}
