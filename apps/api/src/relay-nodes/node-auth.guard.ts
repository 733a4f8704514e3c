import {
  applyDecorators,
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Inject,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { PrismaClient } from '@smarthost/db';
import { secretDigest } from '@smarthost/relay-policy';
import type { Request } from 'express';
import { Public } from '../auth/decorators';
import { AppError } from '../core/app-error';
import { PRISMA } from '../core/tokens';
import { bearerToken } from './bearer-token';

export interface RelayNodeContext {
  readonly id: string;
  readonly name: string;
  readonly status: 'active' | 'paused' | 'disabled';
}

interface NodeRequest extends Request {
  relayNode?: RelayNodeContext;
}

/**
 * Authenticates a relay node by its token. The lookup is by SHA-256 digest through a unique index: the timing of
 * that lookup depends on the digest, which an attacker cannot steer toward a real token's digest, so it leaks
 * nothing usable. A disabled node is refused; a paused one may still pull policy (it must not send, but it should
 * stay current).
 */
@Injectable()
export class NodeAuthGuard implements CanActivate {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<NodeRequest>();
    const token = bearerToken(request);
    if (!token) throw new AppError('unauthenticated', 'send the relay node token as a bearer token');
    const node = await this.prisma.relayNode.findUnique({
      where: { tokenDigest: secretDigest(token) },
      select: { id: true, name: true, status: true },
    });
    if (!node || node.status === 'disabled') throw new AppError('unauthenticated', 'relay node token is invalid or disabled');
    request.relayNode = node;
    return true;
  }
}

export const NodeRoute = () => applyDecorators(Public(), UseGuards(NodeAuthGuard), ApiBearerAuth('relay-node'));

export const CurrentNode = createParamDecorator((_: unknown, context: ExecutionContext): RelayNodeContext => {
  const node = context.switchToHttp().getRequest<NodeRequest>().relayNode;
  if (!node) throw new Error('@CurrentNode() used on a route without @NodeRoute()');
  return node;
});
