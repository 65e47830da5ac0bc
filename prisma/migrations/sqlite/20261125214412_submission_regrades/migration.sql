-- CreateTable
CREATE TABLE "RegradeBatch" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "labId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Submission" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "labId" TEXT NOT NULL,
    "lang" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "files" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "seed" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "verdict" TEXT,
    "score" INTEGER,
    "maxScore" INTEGER,
    "result" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "regradeOfId" TEXT,
    "regradeBatchId" TEXT,
    CONSTRAINT "Submission_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Submission_regradeOfId_fkey" FOREIGN KEY ("regradeOfId") REFERENCES "Submission" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Submission_regradeBatchId_fkey" FOREIGN KEY ("regradeBatchId") REFERENCES "RegradeBatch" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Submission" ("createdAt", "files", "finishedAt", "id", "idempotencyKey", "kind", "labId", "lang", "maxScore", "result", "score", "seed", "startedAt", "status", "userId", "verdict") SELECT "createdAt", "files", "finishedAt", "id", "idempotencyKey", "kind", "labId", "lang", "maxScore", "result", "score", "seed", "startedAt", "status", "userId", "verdict" FROM "Submission";
DROP TABLE "Submission";
ALTER TABLE "new_Submission" RENAME TO "Submission";
CREATE INDEX "Submission_labId_userId_idx" ON "Submission"("labId", "userId");
CREATE INDEX "Submission_userId_createdAt_idx" ON "Submission"("userId", "createdAt");
CREATE INDEX "Submission_regradeOfId_idx" ON "Submission"("regradeOfId");
CREATE INDEX "Submission_regradeBatchId_idx" ON "Submission"("regradeBatchId");
CREATE UNIQUE INDEX "Submission_userId_idempotencyKey_key" ON "Submission"("userId", "idempotencyKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "RegradeBatch_labId_createdAt_idx" ON "RegradeBatch"("labId", "createdAt");
