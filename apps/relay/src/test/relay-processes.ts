import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forkService, waitFor, type ForkedService } from '@smarthost/testkit';
import type { PolicyStatus } from '../policy/policy-store';
import type { RelayPorts } from '../start-relay';
import { relayEnv, type RelayTestBed } from './test-relay';

export interface NodeReady {
  type: 'ready';
  ports: RelayPorts;
}

export interface RelayProcesses {
  nodes: ForkedService<NodeReady>[];
  close(): Promise<void>;
}

/**
 * Relay nodes exactly as main() starts them, each in its own process (bench-relay-node.js), against the test bed's
 * policy server and Redis, each with its own policy cache; resolves once every one has loaded the policy.
 */
export async function startRelayProcesses(bed: RelayTestBed, count: number): Promise<RelayProcesses> {
  const dir = await mkdtemp(join(tmpdir(), 'smarthost-relays-'));
  const script = join(__dirname, '../bench/bench-relay-node.js');
  const names = Array.from({ length: count }, (_, n) => `node-${n}`);
  const nodes = await Promise.all(names.map((name) => forkService<NodeReady>(script, { env: relayEnv(bed.api.url, bed.redis, join(dir, `policy-${name}.json`)) })));
  await waitFor(
    async () => (await Promise.all(nodes.map((node) => node.ask<{ status: PolicyStatus }>('status')))).every(({ status }) => status.loaded && !status.stale),
    { description: 'every relay process loaded the policy', timeoutMs: 15_000 },
  );
  return {
    nodes,
    close: async () => {
      await Promise.all(nodes.map((node) => node.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
