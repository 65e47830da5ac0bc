"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useActionState } from "react";
import { useViewer } from "@/app/use-viewer.ts";
import { markCompleteAction } from "./actions.ts";

/**
 * The per-person part of a (static) lesson page: sign-in prompt, "Mark complete", or the complete
 * badge. Learns who is looking from /api/me; marking complete goes through the server action.
 */
export function LessonProgress({ lessonId, signInHref }: { lessonId: string; signInHref: string }) {
  const state = useViewer();
  const router = useRouter();
  const [marked, markComplete] = useActionState(async (_marked: boolean, form: FormData) => {
    await markCompleteAction(form);
    // Pages the browser kept (the course outline, on Back) show the old progress: drop them.
    router.refresh();
    return true;
  }, false);
  if (!state) return <p className="muted">&nbsp;</p>;
  if (!state.viewer)
    return (
      <p className="muted">
        <Link href={signInHref}>Sign in</Link> to track progress.
      </p>
    );
  if (marked || state.completedLessons.includes(lessonId))
    return (
      <p data-testid="lesson-status">
        <span className="badge done">complete</span>
      </p>
    );
  return (
    <form action={markComplete}>
      <input type="hidden" name="lessonId" value={lessonId} />
      <button type="submit" className="button">
        Mark complete
      </button>
    </form>
  );
}
