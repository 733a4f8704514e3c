import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../auth/decorators';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { ZodResponse } from '../core/zod-validation';
import { smtpSettings, smtpSettingsView } from './smtp-settings';

/** How applications reach the relay: host, ports with their TLS modes, and whether the certificate is trusted. */
@ApiTags('credentials')
@Controller('smtp-settings')
export class SmtpSettingsController {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  @Get()
  @RequirePermission('credentials:read')
  @ZodResponse(200, smtpSettingsView)
  get() {
    return smtpSettings(this.config);
  }
}
