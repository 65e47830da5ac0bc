import Link from "next/link";
import type { Viewer } from "@/lib/auth/viewer.ts";

/** The right-hand part of the site header: what the viewer may open, who they are, sign in or out. */
export function UserMenu({ viewer }: { viewer: Viewer | null }) {
  return (
    <>
      {viewer ? <Link href="/certificate">Certificate</Link> : null}
      {viewer?.instructor ? <Link href="/instructor">Instructor</Link> : null}
      {viewer?.admin ? <Link href="/admin">Admin</Link> : null}
      <span className="spacer" />
      {viewer ? (
        <>
          <span className="who" data-testid="signed-in-as">
            {viewer.name}
          </span>
          <Link href="/signout">Sign out</Link>
        </>
      ) : (
        <>
          <Link href="/signin">Sign in</Link>
          <Link href="/signup" className="button small">
            Create account
          </Link>
        </>
      )}
    </>
  );
}
