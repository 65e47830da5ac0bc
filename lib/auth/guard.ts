import "server-only";
// The one place pages and server actions check who may do what. Route handlers use lib/http/route.ts,
// which calls the same functions.
import { forbidden, redirect } from "next/navigation";
import { hasRole, type Role } from "./roles.ts";
import { type CurrentUser, currentUser } from "./session.ts";

/**
 * For pages and server actions: the signed-in user with at least `role`.
 * Anonymous -> redirect to sign-in (back to `returnTo` afterwards); signed in without the role -> 403 page.
 */
export async function requireUser(returnTo: string, role: Role = "learner"): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (!hasRole(user.role, role)) forbidden();
  return user;
}
