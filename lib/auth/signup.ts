// Email + password sign-up. Every rule has a message a person can act on; nothing is created unless
// every rule passes.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { hashPassword } from "./password.ts";

export const COURSE_ID = "mcp-best-practices";

export const signUpSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters for your name."),
  email: z.string().trim().toLowerCase().max(254).email("Enter a valid email address, like ada@example.com."),
  password: z
    .string()
    .min(10, "Use at least 10 characters for your password.")
    .max(200, "Use at most 200 characters for your password."),
});

export type SignUpInput = z.infer<typeof signUpSchema>;

/** Errors per field; `form` when the body is not a sign-up form at all. */
export type SignUpErrors = Partial<Record<keyof SignUpInput | "form", string>>;

export type SignUpResult = { ok: true; userId: string } | { ok: false; fieldErrors: SignUpErrors };

export async function signUp(db: Db, raw: unknown): Promise<SignUpResult> {
  const parsed = signUpSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: SignUpErrors = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path.length ? (issue.path[0] as keyof SignUpInput) : "form";
      fieldErrors[field] ??=
        field === "form" ? "Send name, email and password as a JSON object." : issue.message;
    }
    return { ok: false, fieldErrors };
  }
  const { name, email, password } = parsed.data;
  const passwordHash = await hashPassword(password);
  try {
    const user = await db.user.create({
      data: { name, email, passwordHash, role: "learner", enrollments: { create: { courseId: COURSE_ID } } },
    });
    return { ok: true, userId: user.id };
  } catch (error) {
    if ((error as { code?: string }).code === "P2002")
      return {
        ok: false,
        fieldErrors: { email: "An account with this email already exists. Sign in instead." },
      };
    throw error;
  }
}
