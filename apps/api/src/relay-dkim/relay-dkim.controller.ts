import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { PrismaClient } from '@smarthost/db';
import type { Logger } from '@smarthost/logger';
import { z } from 'zod';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { AppError } from '../core/app-error';
import { LOGGER, PRISMA } from '../core/tokens';
import { uuidParam, ZodParam, ZodResponse } from '../core/zod-validation';
import { activeDkimKey } from '../dkim/active-dkim-key';
import { dkimKeyring } from '../dkim/dkim-crypto';
import { CurrentNode, NodeRoute, type RelayNodeContext } from '../relay-nodes/node-auth.guard';

const signingKeyReply = z.object({
  domain: z.string(),
  selector: z.string(),
  algorithm: z.string(),
  privateKeyPem: z.string(),
});

/**
 * Delivery workers fetch the signing key of a domain here, authenticated by their node token, and keep it in memory
 * for a short time. This is the only route that returns a private key, and only to a relay node.
 */
@ApiTags('relay')
@NodeRoute()
@Controller('relay/dkim')
export class RelayDkimController {
  private readonly keyring;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.keyring = dkimKeyring(config);
  }

  @Get(':domainId')
  @ZodResponse(200, signingKeyReply, 'the active DKIM key of the domain; 404 when it has none')
  async signingKey(@CurrentNode() node: RelayNodeContext, @ZodParam('domainId', uuidParam) domainId: string) {
    const key = await activeDkimKey(this.prisma, domainId, this.keyring);
    if (!key) throw AppError.notFound('active DKIM key');
    this.logger.debug({ node: node.name, domainId, selector: key.selector }, 'dkim key served to node');
    return { domain: key.domain, selector: key.selector, algorithm: key.algorithm, privateKeyPem: key.privateKeyPem };
  }
}
