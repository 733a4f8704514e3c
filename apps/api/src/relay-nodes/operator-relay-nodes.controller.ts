import { Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodBody, ZodResponse } from '../core/zod-validation';
import { OperatorRoute } from './operator.guard';
import { nodeHealthList, registeredNode, registerNodeBody, type RegisterNodeBody } from './relay-node-schemas';
import { RelayNodesService } from './relay-nodes.service';

/** Operator view of the relay fleet. */
@ApiTags('operator')
@OperatorRoute()
@Controller('operator/relay-nodes')
export class OperatorRelayNodesController {
  constructor(private readonly nodes: RelayNodesService) {}

  @Post()
  @ZodResponse(201, registeredNode, 'The node token is shown here once')
  register(@ZodBody(registerNodeBody) body: RegisterNodeBody) {
    return this.nodes.register(body);
  }

  @Get()
  @ZodResponse(200, nodeHealthList)
  list() {
    return this.nodes.health();
  }
}
