import Link from "next/link";

export default function NotFound() {
  return (
    <section className="narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address. The lesson or page may have moved.</p>
      <p>
        <Link href="/course">Go to the course outline</Link>
      </p>
    </section>
  );
}
