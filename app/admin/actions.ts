"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { changeRole } from "@/lib/admin/users.ts";
import { roleSchema } from "@/lib/auth/roles.ts";
import { revokeCertificate } from "@/lib/certificates/issue.ts";
import { db } from "@/lib/db/client.ts";
import { action } from "@/lib/http/action.ts";

export const changeRoleAction = action(
  {
    role: "admin",
    input: z.object({ userId: z.string().min(1), role: roleSchema }),
    returnTo: () => "/admin",
  },
  async ({ user, input }) => {
    await changeRole(db(), user.id, input.userId, input.role);
    revalidatePath("/admin");
  },
);

export const revokeCertificateAction = action(
  {
    role: "admin",
    input: z.object({
      certificateId: z.string().min(1),
      reason: z.string().trim().min(3, "Give a reason").max(500),
    }),
    returnTo: () => "/admin",
  },
  async ({ user, input }) => {
    await revokeCertificate(db(), user.id, input.certificateId, input.reason);
    revalidatePath("/admin");
  },
);
