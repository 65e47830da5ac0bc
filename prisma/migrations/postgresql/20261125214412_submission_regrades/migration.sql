-- AlterTable
ALTER TABLE "Submission" ADD COLUMN     "regradeBatchId" TEXT,
ADD COLUMN     "regradeOfId" TEXT;

-- CreateTable
CREATE TABLE "RegradeBatch" (
    "id" TEXT NOT NULL,
    "labId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RegradeBatch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RegradeBatch_labId_createdAt_idx" ON "RegradeBatch"("labId", "createdAt");

-- CreateIndex
CREATE INDEX "Submission_regradeOfId_idx" ON "Submission"("regradeOfId");

-- CreateIndex
CREATE INDEX "Submission_regradeBatchId_idx" ON "Submission"("regradeBatchId");

-- AddForeignKey
ALTER TABLE "Submission" ADD CONSTRAINT "Submission_regradeOfId_fkey" FOREIGN KEY ("regradeOfId") REFERENCES "Submission"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Submission" ADD CONSTRAINT "Submission_regradeBatchId_fkey" FOREIGN KEY ("regradeBatchId") REFERENCES "RegradeBatch"("id") ON DELETE SET NULL ON UPDATE CASCADE;
