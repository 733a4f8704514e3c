import { MAX_CREDENTIAL_USES_PER_HEARTBEAT } from '@smarthost/relay-policy';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { instant, int4, uuid } from '../core/input-schemas';

export const registerNodeBody = z.strictObject({
  name: z
    .string()
    .trim()
    // No /i flag: the OpenAPI pattern cannot carry flags, and clients validate against that.
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9.-]{0,62}$/, 'must be 1-63 letters, digits, dots or hyphens'),
});
export type RegisterNodeBody = z.infer<typeof registerNodeBody>;

const ipAddress = z
  .string()
  .max(64)
  .refine((value) => ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value), 'must be an IP address')
  .transform((value) => ipaddr.process(value).toString());

const credentialUse = z.strictObject({
  credentialId: uuid,
  at: instant,
  ip: ipAddress,
});

export const heartbeatBody = z.strictObject({
  version: z.string().trim().min(1).max(100),
  publicIps: z.array(ipAddress).max(32),
  /** null: the node has not loaded a policy yet (it reports before its first snapshot). */
  policyVersion: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable(),
  /** null: the node cannot read its queue right now (Redis unreachable). */
  queueDepth: int4().nullable(),
  /** Credentials that logged in on the node since its last beat, each with its latest login (older nodes omit it). */
  credentialUses: z.array(credentialUse).max(MAX_CREDENTIAL_USES_PER_HEARTBEAT).default([]),
});
export type HeartbeatBody = z.infer<typeof heartbeatBody>;

const nodeStatus = z.enum(['active', 'paused', 'disabled']);

export const registeredNode = z.object({ id: z.uuid(), name: z.string(), token: z.string() });
export type RegisteredNode = z.infer<typeof registeredNode>;

export const heartbeatReply = z.object({ status: nodeStatus, statusReason: z.string().nullable(), policyVersion: z.number() });
export type HeartbeatReply = z.infer<typeof heartbeatReply>;

export const nodeHealth = z.object({
  id: z.uuid(),
  name: z.string(),
  status: nodeStatus,
  statusReason: z.string().nullable(),
  version: z.string().nullable(),
  publicIps: z.array(z.string()),
  queueDepth: z.number().int(),
  lastHeartbeatAt: z.date().nullable(),
  /** Seconds since the last heartbeat; null if the node never reported. */
  stalenessSeconds: z.number().nullable(),
  /** True when the node has not reported within STALE_AFTER_SECONDS (or never). */
  stale: z.boolean(),
  policyVersion: z.number(),
  /** How many policy versions the node is behind the API's current one. */
  policyLag: z.number(),
  createdAt: z.date(),
});
export type NodeHealth = z.infer<typeof nodeHealth>;

export const nodeHealthList = z.object({ currentPolicyVersion: z.number(), items: z.array(nodeHealth) });
export type NodeHealthList = z.infer<typeof nodeHealthList>;
