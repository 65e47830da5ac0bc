import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { hasRole } from "@/lib/auth/roles.ts";
import { currentUser } from "@/lib/auth/session.ts";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "MCP Lab — Best Practices for Writing MCP Servers", template: "%s · MCP Lab" },
  description:
    "An advanced course on designing, securing and operating MCP servers, with labs graded over the real protocol.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <nav aria-label="Main">
            <Link href="/" className="brand">
              MCP Lab
            </Link>
            <Link href="/course">Course</Link>
            {user ? <Link href="/certificate">Certificate</Link> : null}
            {user && hasRole(user.role, "instructor") ? <Link href="/instructor">Instructor</Link> : null}
            {user && hasRole(user.role, "admin") ? <Link href="/admin">Admin</Link> : null}
            <span className="spacer" />
            {user ? (
              <>
                <span className="who" data-testid="signed-in-as">
                  {user.name ?? user.email}
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
          </nav>
        </header>
        <main>{children}</main>
        <footer className="site-footer">
          MCP Lab teaches the MCP specification revisions 2025-11-25 and 2026-07-28.
        </footer>
      </body>
    </html>
  );
}
