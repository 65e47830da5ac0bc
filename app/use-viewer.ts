// Static pages (lessons) are the same HTML for everyone, so their per-person parts ask /api/me from
// the browser. The header and the lesson footer mount together and share one request.
import { useEffect, useState } from "react";
import type { Viewer } from "@/lib/auth/viewer.ts";

export interface ViewerState {
  viewer: Viewer | null;
  /** Lesson ids ("m1/tools-resources-prompts") the viewer marked complete. */
  completedLessons: string[];
}

function isViewer(value: unknown): value is Viewer {
  if (typeof value !== "object" || value === null) return false;
  const { name, instructor, admin } = value as Record<string, unknown>;
  return typeof name === "string" && typeof instructor === "boolean" && typeof admin === "boolean";
}

function isViewerState(value: unknown): value is ViewerState {
  if (typeof value !== "object" || value === null) return false;
  const { viewer, completedLessons } = value as Record<string, unknown>;
  return (
    (viewer === null || isViewer(viewer)) &&
    Array.isArray(completedLessons) &&
    completedLessons.every((id) => typeof id === "string")
  );
}

let inFlight: Promise<ViewerState> | null = null;

function loadViewer(): Promise<ViewerState> {
  inFlight ??= fetch("/api/me", { cache: "no-store" })
    .then(async (response) => {
      const body: unknown = await response.json();
      if (!response.ok || !isViewerState(body)) throw new Error(`/api/me answered HTTP ${response.status}`);
      return body;
    })
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}

/** Who is looking at this page; null until the server has said (or if it could not). */
export function useViewer(): ViewerState | null {
  const [state, setState] = useState<ViewerState | null>(null);
  useEffect(() => {
    let mounted = true;
    loadViewer().then(
      (loaded) => {
        if (mounted) setState(loaded);
      },
      (error: unknown) => console.error(error),
    );
    return () => {
      mounted = false;
    };
  }, []);
  return state;
}
