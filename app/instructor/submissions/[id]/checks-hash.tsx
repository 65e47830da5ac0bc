/** Which checks graded this run, and whether they are still the lab's (a regrade would use `current`). */
export function ChecksHashNote({ graded, current }: { graded: string | undefined; current: string | null }) {
  if (!graded)
    return <span data-testid="checks-hash">not recorded (graded before results carried a checks hash)</span>;
  return (
    <span data-testid="checks-hash" data-current={current === graded ? "yes" : "no"}>
      <code>{graded}</code>{" "}
      {current === graded
        ? "(the lab's current checks)"
        : current
          ? `(older checks: the lab's are now ${current}; regrade to grade with them)`
          : "(the lab's current checks could not be read)"}
    </span>
  );
}
