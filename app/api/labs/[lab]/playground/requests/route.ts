import { z } from "zod";
import { json, route } from "@/lib/http/route.ts";
import { viaNative } from "@/lib/worker/native.ts";

export const dynamic = "force-dynamic";

const params = z.object({ lab: z.string().regex(/^[a-z0-9-]{1,64}$/) });
const name = z.string().min(1).max(256);
const body = z
  .discriminatedUnion("method", [
    z.object({ method: z.literal("ping") }),
    z.object({ method: z.literal("tools/list") }),
    z.object({ method: z.literal("resources/list") }),
    z.object({ method: z.literal("resources/templates/list") }),
    z.object({ method: z.literal("prompts/list") }),
    z.object({
      method: z.literal("tools/call"),
      params: z.object({ name, arguments: z.record(z.string(), z.unknown()).default({}) }),
    }),
    z.object({ method: z.literal("resources/read"), params: z.object({ uri: z.string().min(1).max(2048) }) }),
    z.object({
      method: z.literal("prompts/get"),
      params: z.object({ name, arguments: z.record(z.string(), z.string()).default({}) }),
    }),
  ])
  .and(z.object({ since: z.number().int().min(0).default(0) }));

/** One request from the playground's MCP client to the learner's running server. */
export const POST = route(
  { access: "learner", params, body, maxBodyBytes: 64 * 1024 },
  async ({ user, params, body }) => {
    const { since, ...request } = body;
    return json(await viaNative((engine) => engine.playground.request(user.id, params.lab, request, since)));
  },
);
