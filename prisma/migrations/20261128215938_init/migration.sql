-- CreateEnum
CREATE TYPE "Role" AS ENUM ('owner', 'admin', 'developer', 'viewer');

-- CreateEnum
CREATE TYPE "TenantStatus" AS ENUM ('active', 'suspended', 'paused');

-- CreateEnum
CREATE TYPE "UsagePeriod" AS ENUM ('day', 'month');

-- CreateEnum
CREATE TYPE "DomainStatus" AS ENUM ('pending', 'verified', 'failed');

-- CreateEnum
CREATE TYPE "DnsRecordKind" AS ENUM ('ownership', 'spf', 'dkim', 'dmarc', 'return_path', 'mx');

-- CreateEnum
CREATE TYPE "DnsRecordStatus" AS ENUM ('pending', 'ok', 'missing', 'mismatch', 'error');

-- CreateEnum
CREATE TYPE "DkimKeyStatus" AS ENUM ('pending', 'active', 'retiring', 'retired');

-- CreateEnum
CREATE TYPE "CredentialStatus" AS ENUM ('active', 'disabled');

-- CreateEnum
CREATE TYPE "InboundAction" AS ENUM ('forward', 'reject');

-- CreateEnum
CREATE TYPE "SuppressionReason" AS ENUM ('hard_bounce', 'complaint', 'manual', 'unsubscribe');

-- CreateEnum
CREATE TYPE "RelayNodeStatus" AS ENUM ('active', 'paused', 'disabled');

-- CreateEnum
CREATE TYPE "PolicyEntity" AS ENUM ('tenant', 'domain', 'credential', 'inboundRoute', 'suppression');

-- CreateEnum
CREATE TYPE "PolicyOp" AS ENUM ('upsert', 'delete');

-- CreateEnum
CREATE TYPE "MessageDirection" AS ENUM ('outbound', 'inbound');

-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('queued', 'delivered', 'deferred', 'bounced', 'partial', 'failed');

-- CreateEnum
CREATE TYPE "RecipientStatus" AS ENUM ('queued', 'delivered', 'deferred', 'bounced', 'suppressed', 'failed');

-- CreateEnum
CREATE TYPE "EventType" AS ENUM ('accepted', 'rejected', 'delivered', 'deferred', 'bounced', 'suppressed', 'dead_lettered', 'complained');

-- CreateEnum
CREATE TYPE "BlacklistTargetType" AS ENUM ('ip', 'domain');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastLoginAt" TIMESTAMP(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "tokenDigest" TEXT NOT NULL,
    "csrfDigest" TEXT NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tenants" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "status" "TenantStatus" NOT NULL DEFAULT 'active',
    "statusReason" TEXT,
    "planId" TEXT NOT NULL DEFAULT 'free',
    "bounceNotices" BOOLEAN NOT NULL DEFAULT false,
    "messagesPerDayOverride" INTEGER,
    "messagesPerMonthOverride" INTEGER,
    "messagesPerMinuteOverride" INTEGER,
    "recipientsPerMessageOverride" INTEGER,
    "maxMessageBytesOverride" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invitations" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "tokenDigest" TEXT NOT NULL,
    "invitedById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plans" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "priceCents" INTEGER NOT NULL DEFAULT 0,
    "stripePriceId" TEXT,
    "messagesPerDay" INTEGER NOT NULL,
    "messagesPerMonth" INTEGER NOT NULL,
    "messagesPerMinute" INTEGER NOT NULL,
    "recipientsPerMessage" INTEGER NOT NULL,
    "maxMessageBytes" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_counters" (
    "tenantId" UUID NOT NULL,
    "period" "UsagePeriod" NOT NULL,
    "periodStart" DATE NOT NULL,
    "messages" INTEGER NOT NULL DEFAULT 0,
    "recipients" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "usage_counters_pkey" PRIMARY KEY ("tenantId","period","periodStart")
);

-- CreateTable
CREATE TABLE "domains" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "verifiedName" TEXT,
    "status" "DomainStatus" NOT NULL DEFAULT 'pending',
    "verificationToken" TEXT NOT NULL,
    "verifiedAt" TIMESTAMP(3),
    "lastCheckedAt" TIMESTAMP(3),
    "inboundEnabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "domains_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "domain_dns_records" (
    "id" UUID NOT NULL,
    "domainId" UUID NOT NULL,
    "kind" "DnsRecordKind" NOT NULL,
    "host" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "required" BOOLEAN NOT NULL DEFAULT true,
    "status" "DnsRecordStatus" NOT NULL DEFAULT 'pending',
    "detail" TEXT,
    "seenValue" TEXT,
    "lastCheckedAt" TIMESTAMP(3),
    "lastOkAt" TIMESTAMP(3),

    CONSTRAINT "domain_dns_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dkim_keys" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "domainId" UUID NOT NULL,
    "selector" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL DEFAULT 'rsa-sha256',
    "publicKey" TEXT NOT NULL,
    "privateKeyEnc" BYTEA NOT NULL,
    "privateKeyIv" BYTEA NOT NULL,
    "privateKeyTag" BYTEA NOT NULL,
    "encKeyId" TEXT NOT NULL,
    "status" "DkimKeyStatus" NOT NULL DEFAULT 'pending',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "verifiedAt" TIMESTAMP(3),
    "activatedAt" TIMESTAMP(3),
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "dkim_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "smtp_credentials" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "secretDigest" TEXT NOT NULL,
    "status" "CredentialStatus" NOT NULL DEFAULT 'active',
    "allDomains" BOOLEAN NOT NULL DEFAULT true,
    "allowedSenders" TEXT[],
    "ipAllowlist" TEXT[],
    "ratePerMinute" INTEGER,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "rotatedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "lastUsedIp" TEXT,

    CONSTRAINT "smtp_credentials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "smtp_credential_domains" (
    "credentialId" UUID NOT NULL,
    "domainId" UUID NOT NULL,

    CONSTRAINT "smtp_credential_domains_pkey" PRIMARY KEY ("credentialId","domainId")
);

-- CreateTable
CREATE TABLE "inbound_routes" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "domainId" UUID NOT NULL,
    "pattern" TEXT NOT NULL,
    "action" "InboundAction" NOT NULL DEFAULT 'forward',
    "host" TEXT,
    "port" INTEGER,
    "requireTls" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "inbound_routes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suppressions" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "reason" "SuppressionReason" NOT NULL,
    "detail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suppressions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "relay_nodes" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "tokenDigest" TEXT NOT NULL,
    "status" "RelayNodeStatus" NOT NULL DEFAULT 'active',
    "statusReason" TEXT,
    "version" TEXT,
    "publicIps" TEXT[],
    "policyVersion" BIGINT NOT NULL DEFAULT 0,
    "queueDepth" INTEGER NOT NULL DEFAULT 0,
    "lastHeartbeatAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "relay_nodes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_changes" (
    "version" BIGSERIAL NOT NULL,
    "tenantId" UUID,
    "entity" "PolicyEntity" NOT NULL,
    "entityId" TEXT NOT NULL,
    "op" "PolicyOp" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_changes_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "messages" (
    "id" TEXT NOT NULL,
    "tenantId" UUID NOT NULL,
    "domainId" UUID,
    "credentialId" UUID,
    "relayNodeId" UUID,
    "direction" "MessageDirection" NOT NULL DEFAULT 'outbound',
    "mailFrom" TEXT NOT NULL,
    "headerFrom" TEXT,
    "messageIdHeader" TEXT,
    "subject" TEXT,
    "sizeBytes" INTEGER NOT NULL,
    "recipientCount" INTEGER NOT NULL,
    "status" "MessageStatus" NOT NULL DEFAULT 'queued',
    "acceptedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message_recipients" (
    "messageId" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "tenantId" UUID NOT NULL,
    "status" "RecipientStatus" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "smtpCode" INTEGER,
    "enhancedCode" TEXT,
    "response" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "message_recipients_pkey" PRIMARY KEY ("messageId","address")
);

-- CreateTable
CREATE TABLE "delivery_events" (
    "id" BIGSERIAL NOT NULL,
    "eventKey" TEXT NOT NULL,
    "tenantId" UUID NOT NULL,
    "messageId" TEXT,
    "domain" TEXT,
    "credentialId" UUID,
    "recipient" TEXT,
    "type" "EventType" NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "smtpCode" INTEGER,
    "enhancedCode" TEXT,
    "response" TEXT,
    "remoteMta" TEXT,
    "relayNode" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delivery_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stats_hourly" (
    "tenantId" UUID NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "domain" TEXT NOT NULL DEFAULT '',
    "accepted" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "deferred" INTEGER NOT NULL DEFAULT 0,
    "bounced" INTEGER NOT NULL DEFAULT 0,
    "suppressed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "complained" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "stats_hourly_pkey" PRIMARY KEY ("tenantId","hour","domain")
);

-- CreateTable
CREATE TABLE "blacklist_checks" (
    "id" UUID NOT NULL,
    "tenantId" UUID,
    "relayNodeId" UUID,
    "targetType" "BlacklistTargetType" NOT NULL,
    "target" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "listed" BOOLEAN NOT NULL,
    "response" TEXT,
    "checkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "blacklist_checks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "blacklist_listings" (
    "id" UUID NOT NULL,
    "tenantId" UUID,
    "relayNodeId" UUID,
    "targetType" "BlacklistTargetType" NOT NULL,
    "target" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "response" TEXT,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delistedAt" TIMESTAMP(3),

    CONSTRAINT "blacklist_listings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stripe_customers" (
    "tenantId" UUID NOT NULL,
    "stripeCustomerId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stripe_customers_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "subscriptions" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "stripeSubscriptionId" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "currentPeriodEnd" TIMESTAMP(3),
    "cancelAtPeriodEnd" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stripe_webhook_events" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "processedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stripe_webhook_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_logs" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" UUID,
    "actorUserId" UUID,
    "actorApiKeyId" UUID,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "ip" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_logs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_tokenDigest_key" ON "sessions"("tokenDigest");

-- CreateIndex
CREATE INDEX "sessions_userId_idx" ON "sessions"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants"("slug");

-- CreateIndex
CREATE INDEX "tenants_status_idx" ON "tenants"("status");

-- CreateIndex
CREATE INDEX "memberships_userId_idx" ON "memberships"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_tenantId_userId_key" ON "memberships"("tenantId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "invitations_tokenDigest_key" ON "invitations"("tokenDigest");

-- CreateIndex
CREATE INDEX "invitations_tenantId_createdAt_idx" ON "invitations"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_digest_key" ON "api_keys"("digest");

-- CreateIndex
CREATE INDEX "api_keys_tenantId_createdAt_idx" ON "api_keys"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "plans_stripePriceId_key" ON "plans"("stripePriceId");

-- CreateIndex
CREATE UNIQUE INDEX "domains_verifiedName_key" ON "domains"("verifiedName");

-- CreateIndex
CREATE INDEX "domains_name_idx" ON "domains"("name");

-- CreateIndex
CREATE INDEX "domains_tenantId_createdAt_idx" ON "domains"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "domains_tenantId_name_key" ON "domains"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "domain_dns_records_domainId_kind_host_key" ON "domain_dns_records"("domainId", "kind", "host");

-- CreateIndex
CREATE INDEX "dkim_keys_tenantId_domainId_idx" ON "dkim_keys"("tenantId", "domainId");

-- CreateIndex
CREATE UNIQUE INDEX "dkim_keys_domainId_selector_key" ON "dkim_keys"("domainId", "selector");

-- CreateIndex
CREATE UNIQUE INDEX "smtp_credentials_username_key" ON "smtp_credentials"("username");

-- CreateIndex
CREATE INDEX "smtp_credentials_tenantId_createdAt_idx" ON "smtp_credentials"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "smtp_credential_domains_domainId_idx" ON "smtp_credential_domains"("domainId");

-- CreateIndex
CREATE INDEX "inbound_routes_tenantId_createdAt_idx" ON "inbound_routes"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_routes_domainId_pattern_key" ON "inbound_routes"("domainId", "pattern");

-- CreateIndex
CREATE INDEX "suppressions_tenantId_createdAt_idx" ON "suppressions"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "suppressions_tenantId_address_key" ON "suppressions"("tenantId", "address");

-- CreateIndex
CREATE UNIQUE INDEX "relay_nodes_name_key" ON "relay_nodes"("name");

-- CreateIndex
CREATE UNIQUE INDEX "relay_nodes_tokenDigest_key" ON "relay_nodes"("tokenDigest");

-- CreateIndex
CREATE INDEX "policy_changes_createdAt_idx" ON "policy_changes"("createdAt");

-- CreateIndex
CREATE INDEX "messages_tenantId_acceptedAt_id_idx" ON "messages"("tenantId", "acceptedAt" DESC, "id");

-- CreateIndex
CREATE INDEX "messages_tenantId_status_acceptedAt_idx" ON "messages"("tenantId", "status", "acceptedAt" DESC);

-- CreateIndex
CREATE INDEX "messages_tenantId_mailFrom_acceptedAt_idx" ON "messages"("tenantId", "mailFrom", "acceptedAt" DESC);

-- CreateIndex
CREATE INDEX "message_recipients_tenantId_address_idx" ON "message_recipients"("tenantId", "address");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_events_eventKey_key" ON "delivery_events"("eventKey");

-- CreateIndex
CREATE INDEX "delivery_events_tenantId_occurredAt_idx" ON "delivery_events"("tenantId", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "delivery_events_tenantId_messageId_idx" ON "delivery_events"("tenantId", "messageId");

-- CreateIndex
CREATE INDEX "delivery_events_tenantId_recipient_occurredAt_idx" ON "delivery_events"("tenantId", "recipient", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "delivery_events_occurredAt_idx" ON "delivery_events"("occurredAt");

-- CreateIndex
CREATE INDEX "stats_hourly_hour_idx" ON "stats_hourly"("hour");

-- CreateIndex
CREATE INDEX "blacklist_checks_tenantId_checkedAt_idx" ON "blacklist_checks"("tenantId", "checkedAt" DESC);

-- CreateIndex
CREATE INDEX "blacklist_checks_target_zone_checkedAt_idx" ON "blacklist_checks"("target", "zone", "checkedAt" DESC);

-- CreateIndex
CREATE INDEX "blacklist_listings_tenantId_delistedAt_idx" ON "blacklist_listings"("tenantId", "delistedAt");

-- CreateIndex
CREATE INDEX "blacklist_listings_target_zone_idx" ON "blacklist_listings"("target", "zone");

-- CreateIndex
CREATE UNIQUE INDEX "stripe_customers_stripeCustomerId_key" ON "stripe_customers"("stripeCustomerId");

-- CreateIndex
CREATE UNIQUE INDEX "subscriptions_stripeSubscriptionId_key" ON "subscriptions"("stripeSubscriptionId");

-- CreateIndex
CREATE INDEX "subscriptions_tenantId_idx" ON "subscriptions"("tenantId");

-- CreateIndex
CREATE INDEX "audit_logs_tenantId_createdAt_idx" ON "audit_logs"("tenantId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_planId_fkey" FOREIGN KEY ("planId") REFERENCES "plans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invitedById_fkey" FOREIGN KEY ("invitedById") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_counters" ADD CONSTRAINT "usage_counters_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "domains" ADD CONSTRAINT "domains_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "domain_dns_records" ADD CONSTRAINT "domain_dns_records_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "domains"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dkim_keys" ADD CONSTRAINT "dkim_keys_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dkim_keys" ADD CONSTRAINT "dkim_keys_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "domains"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "smtp_credentials" ADD CONSTRAINT "smtp_credentials_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "smtp_credential_domains" ADD CONSTRAINT "smtp_credential_domains_credentialId_fkey" FOREIGN KEY ("credentialId") REFERENCES "smtp_credentials"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "smtp_credential_domains" ADD CONSTRAINT "smtp_credential_domains_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "domains"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbound_routes" ADD CONSTRAINT "inbound_routes_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbound_routes" ADD CONSTRAINT "inbound_routes_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "domains"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_changes" ADD CONSTRAINT "policy_changes_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "domains"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_credentialId_fkey" FOREIGN KEY ("credentialId") REFERENCES "smtp_credentials"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_relayNodeId_fkey" FOREIGN KEY ("relayNodeId") REFERENCES "relay_nodes"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message_recipients" ADD CONSTRAINT "message_recipients_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_events" ADD CONSTRAINT "delivery_events_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stats_hourly" ADD CONSTRAINT "stats_hourly_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "blacklist_checks" ADD CONSTRAINT "blacklist_checks_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "blacklist_checks" ADD CONSTRAINT "blacklist_checks_relayNodeId_fkey" FOREIGN KEY ("relayNodeId") REFERENCES "relay_nodes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "blacklist_listings" ADD CONSTRAINT "blacklist_listings_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "blacklist_listings" ADD CONSTRAINT "blacklist_listings_relayNodeId_fkey" FOREIGN KEY ("relayNodeId") REFERENCES "relay_nodes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stripe_customers" ADD CONSTRAINT "stripe_customers_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_planId_fkey" FOREIGN KEY ("planId") REFERENCES "plans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
