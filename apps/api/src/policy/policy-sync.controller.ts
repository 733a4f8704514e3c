import { Controller, Get, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { policyDeltaSchema, policySnapshotSchema } from '@smarthost/relay-policy';
import type { Response } from 'express';
import { z } from 'zod';
import { queryInteger } from '../core/input-schemas';
import { ZodQuery, ZodResponse } from '../core/zod-validation';
import { NodeRoute } from '../relay-nodes/node-auth.guard';
import { PolicySyncService } from './policy-sync.service';
import { abortOnClose, ClientGoneError, responseSink } from './response-sink';

/** Longest a node may hold a long-poll open; below common proxy idle timeouts (60 s). */
export const MAX_WAIT_SECONDS = 30;

const changesQuery = z.object({
  since: z.string().regex(/^\d{1,15}$/, 'must be a policy version (a non-negative integer)').transform(Number),
  wait: queryInteger({ min: 0, max: MAX_WAIT_SECONDS, default: 0 }),
});
type ChangesQuery = z.infer<typeof changesQuery>;

/** What relay nodes pull: a full snapshot once, then deltas by long-poll. */
@ApiTags('relay')
@NodeRoute()
@Controller('relay/policy')
export class PolicySyncController {
  constructor(private readonly sync: PolicySyncService) {}

  @Get()
  @ZodResponse(200, policySnapshotSchema, 'Streamed; the x-policy-version header carries the version')
  @ApiProduces('application/json')
  async snapshot(@Res() response: Response): Promise<void> {
    try {
      await this.sync.snapshot(responseSink(response));
      response.end();
    } catch (error) {
      if (!response.headersSent) throw error;
      // Mid-stream the status is already 200: cutting the connection is the only way to tell the node the body is
      // incomplete (it then fails to parse and retries).
      response.destroy();
      if (!(error instanceof ClientGoneError)) throw error;
    }
  }

  @Get('changes')
  @ZodResponse(200, policyDeltaSchema)
  @ZodResponse(204, z.undefined(), 'Nothing changed within `wait` seconds')
  @ZodResponse(410, z.unknown(), 'The version cannot be caught up by deltas: fetch a snapshot')
  async changes(@ZodQuery(changesQuery) query: ChangesQuery, @Res() response: Response): Promise<void> {
    const delta = await this.sync.changesSince(query.since, query.wait, abortOnClose(response));
    if (delta) response.json(delta);
    else if (!response.destroyed) response.status(204).end();
  }
}
