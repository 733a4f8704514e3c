import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission, Tenant } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { ZodParam, ZodQuery, ZodResponse } from '../core/zod-validation';
import { messageDetail, messageIdParam, messagePage, searchMessagesQuery, type SearchMessagesQuery } from './message-schemas';
import { MessagesService } from './messages.service';

@ApiTags('messages')
@Controller('messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  /** Searches accepted messages by recipient, sender, status, direction, time range or id; newest first. */
  @Get()
  @RequirePermission('messages:read')
  @ZodResponse(200, messagePage)
  search(@Tenant() tenant: TenantContext, @ZodQuery(searchMessagesQuery) query: SearchMessagesQuery) {
    return this.messages.search(tenant, query);
  }

  /** One message with its recipients and the timeline of its events. */
  @Get(':id')
  @RequirePermission('messages:read')
  @ZodResponse(200, messageDetail)
  get(@Tenant() tenant: TenantContext, @ZodParam('id', messageIdParam) id: string) {
    return this.messages.get(tenant, id);
  }
}
