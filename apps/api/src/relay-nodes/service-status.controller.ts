import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequirePermission } from '../auth/decorators';
import { ZodResponse } from '../core/zod-validation';
import { RelayNodesService } from './relay-nodes.service';

const serviceStatus = z.object({
  /** Active nodes that reported recently: the ones accepting mail right now. */
  healthyNodes: z.number().int(),
  /** Active nodes that have not reported recently (or never). */
  staleNodes: z.number().int(),
  pausedNodes: z.number().int(),
  /** Most policy versions any healthy node is behind: how far the newest change has yet to travel. */
  maxPolicyLag: z.number().int(),
  lastHeartbeatAt: z.iso.datetime().nullable(),
});

/**
 * What a customer may know about the relay fleet: whether it is up and current. Node names, addresses and queues stay
 * with operators (GET /v1/operator/relay-nodes).
 */
@ApiTags('service')
@Controller('service-status')
export class ServiceStatusController {
  constructor(private readonly nodes: RelayNodesService) {}

  @Get()
  @RequirePermission('tenant:read')
  @ZodResponse(200, serviceStatus)
  async status(): Promise<z.infer<typeof serviceStatus>> {
    const { items } = await this.nodes.health();
    const active = items.filter((node) => node.status === 'active');
    const healthy = active.filter((node) => !node.stale);
    const last = items.map((node) => node.lastHeartbeatAt?.getTime() ?? 0).reduce((a, b) => Math.max(a, b), 0);
    return {
      healthyNodes: healthy.length,
      staleNodes: active.length - healthy.length,
      pausedNodes: items.filter((node) => node.status === 'paused').length,
      maxPolicyLag: healthy.reduce((lag, node) => Math.max(lag, node.policyLag), 0),
      lastHeartbeatAt: last > 0 ? new Date(last).toISOString() : null,
    };
  }
}
