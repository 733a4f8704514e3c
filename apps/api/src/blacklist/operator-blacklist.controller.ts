import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodResponse } from '../core/zod-validation';
import { OperatorRoute } from '../relay-nodes/operator.guard';
import { operatorBlacklistView } from './blacklist-schemas';
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

  /** Checks every target now instead of waiting for the schedule, and answers with the listings it leaves. */
  @Post('check')
  @HttpCode(200)
  @ZodResponse(200, operatorBlacklistView)
  check() {
    return this.blacklist.checkNow();
  }
}
