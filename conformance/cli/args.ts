// A tiny argv parser for the CLIs: --flag value, --flag=value, boolean flags; unknown flags are errors.
export type ParsedArgs = { ok: true; values: Record<string, string | true> } | { ok: false; error: string };

export function parseArgs(argv: string[], spec: { strings: string[]; booleans: string[] }): ParsedArgs {
  const values: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") continue;
    if (!arg.startsWith("--")) return { ok: false, error: `unexpected argument "${arg}"` };
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (spec.booleans.includes(name)) {
      values[name] = true;
      continue;
    }
    if (!spec.strings.includes(name)) return { ok: false, error: `unknown option --${name}` };
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith("--")))
      return { ok: false, error: `--${name} needs a value` };
    values[name] = value;
  }
  return { ok: true, values };
}
