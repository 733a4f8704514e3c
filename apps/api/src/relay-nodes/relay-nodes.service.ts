import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient, RelayNode } from '@smarthost/db';
import type { Logger } from '@smarthost/logger';
import { secretDigest } from '@smarthost/relay-policy';
import { LOGGER, PRISMA } from '../core/tokens';
import { recordCredentialUses } from '../credentials/credential-last-use';
import { currentPolicyVersion } from '../policy/policy-version';
import type { RelayNodeContext } from './node-auth.guard';
import type { HeartbeatBody, HeartbeatReply, NodeHealth, NodeHealthList, RegisteredNode, RegisterNodeBody } from './relay-node-schemas';

/** Nodes are expected to report every few seconds; a minute of silence means something is wrong. */
export const STALE_AFTER_SECONDS = 60;

@Injectable()
export class RelayNodesService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The token (256 random bits) is returned here once; only its digest is stored. */
  async register(body: RegisterNodeBody): Promise<RegisteredNode> {
    const token = `shn_${randomBytes(32).toString('base64url')}`;
    const node = await this.prisma.relayNode.create({
      data: { name: body.name, tokenDigest: secretDigest(token) },
      select: { id: true, name: true },
    });
    this.logger.info({ relayNodeId: node.id, name: node.name }, 'relay node registered');
    return { ...node, token };
  }

  async health(now = new Date()): Promise<NodeHealthList> {
    const [version, nodes] = await Promise.all([
      currentPolicyVersion(this.prisma),
      this.prisma.relayNode.findMany({ orderBy: { name: 'asc' } }),
    ]);
    return { currentPolicyVersion: version, items: nodes.map((node) => nodeHealth(node, version, now)) };
  }

  async heartbeat(node: RelayNodeContext, body: HeartbeatBody): Promise<HeartbeatReply> {
    const [row, version] = await Promise.all([
      this.prisma.relayNode.update({
        where: { id: node.id },
        data: {
          version: body.version,
          publicIps: body.publicIps,
          ...(body.policyVersion === null ? {} : { policyVersion: BigInt(body.policyVersion) }),
          ...(body.queueDepth === null ? {} : { queueDepth: body.queueDepth }),
          lastHeartbeatAt: new Date(),
        },
        select: { status: true, statusReason: true },
      }),
      currentPolicyVersion(this.prisma),
      recordCredentialUses(this.prisma, body.credentialUses),
    ]);
    return { status: row.status, statusReason: row.statusReason, policyVersion: version };
  }
}

function nodeHealth(node: RelayNode, currentVersion: number, now: Date): NodeHealth {
  const staleness = node.lastHeartbeatAt ? Math.max(0, Math.round((now.getTime() - node.lastHeartbeatAt.getTime()) / 1000)) : null;
  const policyVersion = Number(node.policyVersion);
  return {
    id: node.id,
    name: node.name,
    status: node.status,
    statusReason: node.statusReason,
    version: node.version,
    publicIps: node.publicIps,
    queueDepth: node.queueDepth,
    lastHeartbeatAt: node.lastHeartbeatAt,
    stalenessSeconds: staleness,
    stale: staleness === null || staleness > STALE_AFTER_SECONDS,
    policyVersion,
    policyLag: Math.max(0, currentVersion - policyVersion),
    createdAt: node.createdAt,
  };
}
