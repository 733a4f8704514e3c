import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodBody, ZodResponse } from '../core/zod-validation';
import { CurrentNode, NodeRoute, type RelayNodeContext } from './node-auth.guard';
import { heartbeatBody, type HeartbeatBody, heartbeatReply } from './relay-node-schemas';
import { RelayNodesService } from './relay-nodes.service';

@ApiTags('relay')
@NodeRoute()
@Controller('relay')
export class HeartbeatController {
  constructor(private readonly nodes: RelayNodesService) {}

  /** A node reports what it runs and how far it is; the reply tells it whether it is paused and the policy version. */
  @Post('heartbeat')
  @HttpCode(200)
  @ZodResponse(200, heartbeatReply)
  heartbeat(@CurrentNode() node: RelayNodeContext, @ZodBody(heartbeatBody) body: HeartbeatBody) {
    return this.nodes.heartbeat(node, body);
  }
}
