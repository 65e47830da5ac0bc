import "server-only";
// Who is asking: the signed-in user of this request, read fresh from the database.
import { getServerSession } from "next-auth";
import { cache } from "react";
import { db } from "../db/client.ts";
import { authOptions } from "./options.ts";
import { parseRole, type Role } from "./roles.ts";

export interface CurrentUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

/** The signed-in user, or null. Cached per request. */
export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  const user = await db().user.findUnique({ where: { id } });
  if (!user) return null;
  return { id: user.id, email: user.email, name: user.name, role: parseRole(user.role) };
});
