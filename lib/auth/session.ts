import "server-only";
// Who is asking: the signed-in user of this request, read fresh from the database.
import { cookies } from "next/headers";
import { cache } from "react";
import { config } from "../config.ts";
import { db } from "../db/client.ts";
import { parseRole, type Role } from "./roles.ts";
import { sessionUserId } from "./session-token.ts";

export interface CurrentUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

/** The signed-in user, or null. Cached per request. */
export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  const env = config();
  const id = await sessionUserId(await cookies(), {
    secret: env.authSecret,
    secureCookie: env.NEXTAUTH_URL?.startsWith("https://") ?? false,
  });
  if (!id) return null;
  const user = await db().user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true },
  });
  if (!user) return null;
  return { id: user.id, email: user.email, name: user.name, role: parseRole(user.role) };
});
