import { Controller, Get, Headers, HttpCode, Post, type RawBodyRequest, Req } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public, RequirePermission, Tenant } from '../auth/decorators';
import type { TenantContext } from '../auth/principal';
import { ZodBody, ZodResponse } from '../core/zod-validation';
import { billingView, checkoutBody, type CheckoutBody, redirectView } from './billing.schemas';
import { BillingService } from './billing.service';
import { StripeWebhookService } from './stripe-webhook.service';

/** The tenant's plan and subscription; Checkout and the billing portal are Stripe's pages, reached by redirect. */
@ApiTags('billing')
@Controller('billing')
export class BillingController {
  constructor(
    private readonly billing: BillingService,
    private readonly webhooks: StripeWebhookService,
  ) {}

  @Get()
  @RequirePermission('billing:read')
  @ZodResponse(200, billingView)
  overview(@Tenant() tenant: TenantContext) {
    return this.billing.overview(tenant);
  }

  /** Starts Stripe Checkout for a plan; the answer's URL is where to send the browser. */
  @Post('checkout')
  @HttpCode(200)
  @RequirePermission('billing:write')
  @ZodResponse(200, redirectView)
  checkout(@Tenant() tenant: TenantContext, @ZodBody(checkoutBody) body: CheckoutBody) {
    return this.billing.checkout(tenant, body);
  }

  /** Opens the Stripe billing portal: payment method, invoices, plan change, cancellation. */
  @Post('portal')
  @HttpCode(200)
  @RequirePermission('billing:write')
  @ZodResponse(200, redirectView)
  portal(@Tenant() tenant: TenantContext) {
    return this.billing.portal(tenant);
  }

  /** Stripe's webhook endpoint; authenticated by the Stripe-Signature header over the raw body, not by a session. */
  @Post('stripe-webhook')
  @Public()
  @ApiExcludeEndpoint() // Stripe's, not a client's: it has no place in the typed client
  @HttpCode(200)
  stripeWebhook(@Req() request: RawBodyRequest<Request>, @Headers('stripe-signature') signature: string | undefined) {
    return this.webhooks.receive(request.rawBody, signature);
  }
}
