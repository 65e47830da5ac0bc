// npm run db:seed: the demo accounts (local use only) and their enrollment. Idempotent.
// In production the demo accounts are not created unless SEED_DEMO_ACCOUNTS=1 is set on purpose.
import { hashPassword } from "../lib/auth/password.ts";
import type { Role } from "../lib/auth/roles.ts";
import { COURSE_ID } from "../lib/auth/signup.ts";
import { db } from "../lib/db/client.ts";

export const DEMO_ACCOUNTS: Array<{ email: string; password: string; name: string; role: Role }> = [
  {
    email: "learner@mcp-lab.local",
    password: "learner-demo-password",
    name: "Demo Learner",
    role: "learner",
  },
  {
    email: "instructor@mcp-lab.local",
    password: "instructor-demo-password",
    name: "Demo Instructor",
    role: "instructor",
  },
  { email: "admin@mcp-lab.local", password: "admin-demo-password", name: "Demo Admin", role: "admin" },
];

if (process.env.NODE_ENV === "production" && process.env.SEED_DEMO_ACCOUNTS !== "1") {
  console.log("seed: production, demo accounts not created (set SEED_DEMO_ACCOUNTS=1 to force)");
} else {
  for (const account of DEMO_ACCOUNTS) {
    const existing = await db().user.findUnique({ where: { email: account.email } });
    if (existing) continue;
    await db().user.create({
      data: {
        email: account.email,
        name: account.name,
        role: account.role,
        passwordHash: await hashPassword(account.password),
        enrollments: { create: { courseId: COURSE_ID } },
      },
    });
    console.log(`seed: created ${account.role} ${account.email}`);
  }
}
await db().$disconnect();
