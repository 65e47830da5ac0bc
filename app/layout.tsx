import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ViewerMenu } from "./viewer-menu.tsx";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "MCP Lab — Best Practices for Writing MCP Servers", template: "%s · MCP Lab" },
  description:
    "An advanced course on designing, securing and operating MCP servers, with labs graded over the real protocol.",
};

/**
 * The layout reads no session, so pages that need none can be prerendered (lessons). The header's user
 * part is the `@user` slot: rendered on the server for per-request pages (app/@user/default.tsx), in
 * the browser for static ones (app/@user/course/[module]/[lesson]/page.tsx).
 */
export default function RootLayout({ children, user }: { children: ReactNode; user?: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <nav aria-label="Main">
            <Link href="/" className="brand">
              MCP Lab
            </Link>
            <Link href="/course">Course</Link>
            {/* Not-found pages get no slot; they learn who is looking in the browser, like lessons. */}
            {user ?? <ViewerMenu />}
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
