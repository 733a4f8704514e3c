import { Module } from '@nestjs/common';
import { HeartbeatController } from './heartbeat.controller';
import { NodeAuthGuard } from './node-auth.guard';
import { OperatorGuard } from './operator.guard';
import { OperatorRelayNodesController } from './operator-relay-nodes.controller';
import { RelayNodesService } from './relay-nodes.service';
import { ServiceStatusController } from './service-status.controller';

@Module({
  controllers: [OperatorRelayNodesController, HeartbeatController, ServiceStatusController],
  providers: [RelayNodesService, NodeAuthGuard, OperatorGuard],
  exports: [NodeAuthGuard],
})
export class RelayNodesModule {}
