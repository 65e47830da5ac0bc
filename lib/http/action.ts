import "server-only";
// Every server action goes through `action(...)`: the signed-in user with the role, and zod-parsed input.
import type { z } from "zod";
import { requireUser } from "../auth/guard.ts";
import type { Role } from "../auth/roles.ts";
import type { CurrentUser } from "../auth/session.ts";
import { HttpError } from "./errors.ts";

export function action<S extends z.ZodType, R>(
  spec: { role: Role; input: S; returnTo: (input: unknown) => string },
  handler: (ctx: { user: CurrentUser; input: z.infer<S> }) => Promise<R>,
) {
  return async (formData: FormData): Promise<R> => {
    // Repeated fields (checkbox groups) become arrays; single fields stay strings.
    const raw: Record<string, string | string[]> = {};
    for (const key of new Set(formData.keys())) {
      const values = formData.getAll(key).map(String);
      raw[key] = values.length === 1 ? values[0] : values;
    }
    const user = await requireUser(spec.returnTo(raw), spec.role);
    const parsed = spec.input.safeParse(raw);
    if (!parsed.success) throw new HttpError(400, "INVALID_INPUT", "The form data is not valid.");
    return handler({ user, input: parsed.data });
  };
}
