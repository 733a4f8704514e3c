-- AlterEnum
ALTER TYPE "EventType" ADD VALUE 'complaint_unverified';
