import type { ReactNode } from "react";
import "./instructor.css";

/** Every page below checks the instructor role itself (requireUser); the layout only adds styles. */
export default function InstructorLayout({ children }: { children: ReactNode }) {
  return <div className="instructor">{children}</div>;
}
