-- CreateEnum
CREATE TYPE "RouteTlsMode" AS ENUM ('require_verified', 'require_unverified', 'opportunistic');

-- AlterTable
ALTER TABLE "inbound_routes" ADD COLUMN     "tlsMode" "RouteTlsMode" NOT NULL DEFAULT 'require_verified';

-- Existing routes: "Require TLS to my server" (requireTls = true) takes its safe reading, a verified certificate;
-- a server with a self-signed certificate then defers (4.7.5, retried for days) until its owner picks
-- require_unverified, rather than mail silently going to whoever can intercept the connection.
UPDATE "inbound_routes" SET "tlsMode" = CASE WHEN "requireTls" THEN 'require_verified'::"RouteTlsMode" ELSE 'opportunistic'::"RouteTlsMode" END;

ALTER TABLE "inbound_routes" DROP COLUMN "requireTls";
