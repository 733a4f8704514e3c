import { Module } from '@nestjs/common';
import { API_CONFIG } from '../config/api-config';
import { BillingController } from './billing.controller';
import { BillingService } from './billing.service';
import { createStripeClient, STRIPE } from './stripe-client';
import { StripeWebhookService } from './stripe-webhook.service';

@Module({
  controllers: [BillingController],
  providers: [
    BillingService,
    StripeWebhookService,
    { provide: STRIPE, useFactory: createStripeClient, inject: [API_CONFIG] },
  ],
})
export class BillingModule {}
