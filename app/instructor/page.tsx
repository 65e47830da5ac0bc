import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/guard.ts";
import { db } from "@/lib/db/client.ts";
import { learnerProgressOverview } from "@/lib/progress/overview.ts";

export const metadata: Metadata = { title: "Instructor" };

export default async function InstructorPage() {
  await requireUser("/instructor", "instructor");
  const { lessonsTotal, rows } = await learnerProgressOverview(db());
  return (
    <section>
      <h1>Learners</h1>
      <p className="muted">
        {rows.length} learner{rows.length === 1 ? "" : "s"} · {lessonsTotal} lessons in the course
      </p>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Learner</th>
            <th scope="col">Email</th>
            <th scope="col">Lessons complete</th>
            <th scope="col">Last activity</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>{row.name ?? "—"}</td>
              <td>{row.email}</td>
              <td>
                {row.lessonsCompleted} / {lessonsTotal}
              </td>
              <td>
                {row.lastActivity ? row.lastActivity.toISOString().slice(0, 16).replace("T", " ") : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
