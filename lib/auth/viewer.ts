// What the site header and a lesson's footer show about the person looking at a page: a display
// name and the role links they unlock, nothing that identifies them further. The server-rendered
// header and /api/me (read in the browser by static pages, i.e. lessons) both answer with this.
import { hasRole } from "./roles.ts";
import type { CurrentUser } from "./session.ts";

export interface Viewer {
  name: string;
  instructor: boolean;
  admin: boolean;
}

export function toViewer(user: CurrentUser | null): Viewer | null {
  if (!user) return null;
  return {
    name: user.name ?? user.email,
    instructor: hasRole(user.role, "instructor"),
    admin: hasRole(user.role, "admin"),
  };
}
