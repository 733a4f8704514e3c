import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { RelayNodesModule } from '../relay-nodes/relay-nodes.module';
import { POLICY_PG_POOL, policyPoolProvider } from './policy-pool';
import { PolicySyncController } from './policy-sync.controller';
import { PolicySyncService } from './policy-sync.service';
import { PolicyVersionWatcher } from './version-watcher';

@Module({
  imports: [RelayNodesModule],
  controllers: [PolicySyncController],
  providers: [PolicySyncService, PolicyVersionWatcher, policyPoolProvider],
})
export class PolicyModule implements OnApplicationShutdown {
  constructor(@Inject(POLICY_PG_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
