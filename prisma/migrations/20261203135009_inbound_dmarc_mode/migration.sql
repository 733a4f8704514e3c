-- CreateEnum
CREATE TYPE "InboundDmarcMode" AS ENUM ('enforce', 'mark');

-- AlterTable
ALTER TABLE "domains" ADD COLUMN     "inboundDmarc" "InboundDmarcMode" NOT NULL DEFAULT 'enforce';
