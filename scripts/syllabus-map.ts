// npx tsx scripts/syllabus-map.ts: writes docs/syllabus-map.md, the table from every syllabus line of
// the course seed to the lesson or quiz file that teaches it. tests/course/syllabus-map.test.ts checks
// that the table is current and that every seed line is mapped.
import { writeFileSync } from "node:fs";
import { syllabusMap } from "../lib/course/syllabus.ts";
import { projectPath } from "../lib/paths.ts";

writeFileSync(projectPath("docs/syllabus-map.md"), syllabusMap().markdown);
console.log("wrote docs/syllabus-map.md");
