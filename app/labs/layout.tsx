import type { ReactNode } from "react";
import "./labs.css";

export default function LabsLayout({ children }: { children: ReactNode }) {
  return children;
}
