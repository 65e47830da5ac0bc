import { currentUser } from "@/lib/auth/session.ts";
import { toViewer } from "@/lib/auth/viewer.ts";
import { UserMenu } from "../user-menu.tsx";

/** The header's user part for every page that renders per request: on the server, like the page. */
export default async function UserSlot() {
  return <UserMenu viewer={toViewer(await currentUser())} />;
}
