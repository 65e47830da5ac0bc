import { ViewerMenu } from "@/app/viewer-menu.tsx";

/** Lesson pages are prerendered once for everyone: their header learns who is looking in the browser. */
export default function LessonUserSlot() {
  return <ViewerMenu />;
}
