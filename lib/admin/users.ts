// Administration: roles and the audit trail. Every change is written to the audit log with who, what, when.
import { type Role, roleSchema } from "../auth/roles.ts";
import type { Db } from "../db/client.ts";
import { HttpError } from "../http/errors.ts";

export async function changeRole(db: Db, adminId: string, userId: string, role: Role): Promise<void> {
  roleSchema.parse(role);
  if (adminId === userId)
    throw new HttpError(400, "OWN_ROLE", "You cannot change your own role; ask another admin.");
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw new HttpError(404, "UNKNOWN_USER", "There is no such user.");
  if (user.role === role) return;
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { role } }),
    db.auditEvent.create({
      data: {
        actorId: adminId,
        action: "user.role-changed",
        targetType: "user",
        targetId: userId,
        detail: JSON.stringify({ from: user.role, to: role }),
      },
    }),
  ]);
}

export async function adminOverview(db: Db) {
  const [users, certificates, audit] = await Promise.all([
    db.user.findMany({
      orderBy: { createdAt: "asc" },
      select: { id: true, email: true, name: true, role: true, createdAt: true },
    }),
    db.certificate.findMany({
      orderBy: { issuedAt: "desc" },
      select: {
        id: true,
        issuedAt: true,
        revokedAt: true,
        revokedReason: true,
        user: { select: { email: true, name: true } },
      },
    }),
    db.auditEvent.findMany({ orderBy: { createdAt: "desc" }, take: 50 }),
  ]);
  return { users, certificates, audit };
}
