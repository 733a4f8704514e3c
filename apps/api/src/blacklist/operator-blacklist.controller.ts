import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodParam, ZodResponse } from '../core/zod-validation';
import { OperatorRoute } from '../relay-nodes/operator.guard';
import { blacklistCheckJobId, blacklistCheckStatus, operatorBlacklistView } from './blacklist-schemas';
import { BlacklistService } from './blacklist.service';

/** Every current blocklist listing, of relay IPs and of any tenant's domains. */
@ApiTags('operator')
@OperatorRoute()
@Controller('operator/blacklist')
export class OperatorBlacklistController {
  constructor(private readonly blacklist: BlacklistService) {}

  @Get()
  @ZodResponse(200, operatorBlacklistView)
  list() {
    return this.blacklist.operatorView();
  }

  /**
   * Queues a check of every target now instead of waiting for the schedule, and answers at once; a check already
   * queued or running is joined. A process with WORKERS=true runs it.
   */
  @Post('check')
  @HttpCode(202)
  @ZodResponse(202, blacklistCheckStatus)
  check() {
    return this.blacklist.requestCheck();
  }

  /** Where a queued check stands, and what it found once finished (then the listings above are up to date). */
  @Get('check/:jobId')
  @ZodResponse(200, blacklistCheckStatus)
  checkStatus(@ZodParam('jobId', blacklistCheckJobId) jobId: string) {
    return this.blacklist.checkStatus(jobId);
  }
}
