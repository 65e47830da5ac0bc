/** A status word with a colour class (instructor.css); the text alone carries the meaning. */
export function StatusBadge({ status }: { status: string | null }) {
  const text = status ?? "—";
  return (
    <span className={`gb-status gb-${text.replace(/[^a-z-]/g, "")}`} data-status={text}>
      {text}
    </span>
  );
}
