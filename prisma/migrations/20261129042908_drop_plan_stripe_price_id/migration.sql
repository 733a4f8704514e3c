-- DropIndex
DROP INDEX "plans_stripePriceId_key";

-- AlterTable
ALTER TABLE "plans" DROP COLUMN "stripePriceId";
