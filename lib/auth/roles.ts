import { z } from "zod";

export const ROLES = ["learner", "instructor", "admin"] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

const RANK: Record<Role, number> = { learner: 0, instructor: 1, admin: 2 };

/** Roles are ordered: an admin may do what an instructor may, an instructor what a learner may. */
export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}

export function parseRole(value: string): Role {
  const parsed = roleSchema.safeParse(value);
  return parsed.success ? parsed.data : "learner";
}
