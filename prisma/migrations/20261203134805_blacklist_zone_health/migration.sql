-- CreateTable
CREATE TABLE "blacklist_zone_health" (
    "zone" TEXT NOT NULL,
    "failedLastSweep" INTEGER NOT NULL DEFAULT 0,
    "failedTotal" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMP(3),
    "lastAnsweredAt" TIMESTAMP(3),
    "lastSweepAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "blacklist_zone_health_pkey" PRIMARY KEY ("zone")
);
