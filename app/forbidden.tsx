import Link from "next/link";

export default function Forbidden() {
  return (
    <section className="narrow">
      <h1>403 — not for your role</h1>
      <p>You are signed in, but this page is for instructors or administrators.</p>
      <p>
        <Link href="/course">Back to the course</Link>
      </p>
    </section>
  );
}
