import Link from "next/link";
import { courseModules } from "@/lib/course/catalog.ts";
import { pitch } from "@/lib/course/pitch.ts";

export default function Landing() {
  const modules = courseModules();
  return (
    <>
      <section className="hero">
        <h1>{pitch.title}</h1>
        <p className="lead">{pitch.tagline}</p>
        <ul className="facts">
          {pitch.facts.map((fact) => (
            <li key={fact}>{fact}</li>
          ))}
        </ul>
        <p>
          <Link href="/course" className="button">
            Open the course
          </Link>{" "}
          <Link href="/signup">Create a free account</Link>
        </p>
      </section>
      <section className="narrow">
        <p>{pitch.intro}</p>
        <h2>What you will learn</h2>
        <ul>
          {pitch.outcomes.map((outcome) => (
            <li key={outcome}>{outcome}</li>
          ))}
        </ul>
        <h2>Syllabus</h2>
        <ol className="module-list">
          {modules.map((module) => (
            <li key={module.slug}>
              <Link href={`/course/${module.slug}`}>{module.title}</Link>
              <span className="muted">
                {" "}
                — {module.plannedLessons.length} lessons, a quiz
                {module.labs.length
                  ? `, ${module.labs.length === 1 ? "a lab" : `${module.labs.length} labs`}`
                  : ""}
              </span>
            </li>
          ))}
        </ol>
        <h2>Prerequisites</h2>
        <p>{pitch.prerequisites}</p>
        <h2>FAQ</h2>
        <dl className="faq">
          {pitch.faq.map((item) => (
            <div key={item.question}>
              <dt>{item.question}</dt>
              <dd>{item.answer}</dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}
