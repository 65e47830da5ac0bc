"use client";
import { useViewer } from "./use-viewer.ts";
import { UserMenu } from "./user-menu.tsx";

/** The header's user part on static pages: a spacer until /api/me says who is looking. */
export function ViewerMenu() {
  const state = useViewer();
  return state ? <UserMenu viewer={state.viewer} /> : <span className="spacer" />;
}
