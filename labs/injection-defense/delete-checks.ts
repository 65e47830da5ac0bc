// Checks on the destructive tool: the call a model makes by accident (or an injected instruction
// makes on purpose) must change nothing, and a client that can ask the user gets asked.
import {
  type CheckContext,
  type CheckDefinition,
  CheckFailure,
  describe,
  textOf,
} from "../../conformance/check-api.ts";
import { attackerOf, attempt, excerpt, structuredOf } from "./calls.ts";
import { DOCS_DIR } from "./plan.ts";

export const deleteChecks: CheckDefinition[] = [
  {
    id: "delete-dry-run-by-default",
    title: "delete_document only previews unless called with dry_run: false",
    severity: "must",
    lesson: "m5/safe-side-effects",
    specRef: "2025-11-25/index#key-principles",
    requires: ["read-document-works"],
    async run(ctx: CheckContext) {
      const doc = attackerOf(ctx).plan.docs.deletable;
      const path = doc.requestPath;
      const preview = await attempt(ctx, "delete_document", { path });
      const after = await attempt(ctx, "read_document", { path });
      if (after.outcome !== "ok" || !after.raw.includes(doc.marker)) {
        throw new CheckFailure(
          `${preview.call}, with no dry_run, deleted ${DOCS_DIR}/${doc.path}: read_document now answers "${excerpt(after)}". The call an injected instruction or a hurried model makes must change nothing.`,
          {
            expected: "a preview of what would be deleted, and the file still there",
            actual: excerpt(preview),
            hint: "Default dry_run to true (Python: dry_run: bool = True; zod: z.boolean().default(true)) and return what would happen.",
          },
        );
      }
      if (!preview.raw.includes(doc.path)) {
        throw new CheckFailure(
          `${preview.call} changed nothing, but its answer does not say what it would delete.`,
          {
            expected: `a preview naming ${doc.path}`,
            actual: excerpt(preview),
            hint: "Say what would happen (which file, how big), so the user can decide: the preview is for them.",
          },
        );
      }
      const executed = await attempt(ctx, "delete_document", { path, dry_run: false });
      const gone = await attempt(ctx, "read_document", { path });
      if (gone.outcome === "ok") {
        throw new CheckFailure(
          `${executed.call} did not delete ${DOCS_DIR}/${doc.path}: read_document still returns it.`,
          {
            expected: "the file deleted (this client cannot be asked through elicitation)",
            actual: excerpt(executed),
            hint: "dry_run: false is the explicit request; when the client supports elicitation, ask the user first.",
          },
        );
      }
      const said = structuredOf(preview)?.message;
      return `the default call previewed (${typeof said === "string" ? `"${said}"` : excerpt(preview)}) and left the file; dry_run: false deleted it`;
    },
  },
  {
    id: "delete-asks-through-elicitation",
    title: "for a client that declares elicitation, delete_document(dry_run: false) asks the user first",
    severity: "should",
    lesson: "m5/safe-side-effects",
    specRef: "2025-11-25/client/elicitation#form-mode-elicitation-requests",
    requires: ["delete-dry-run-by-default"],
    usesRawConnection: true,
    async run(ctx: CheckContext) {
      const doc = attackerOf(ctx).plan.docs.deletable;
      const path = doc.requestPath;
      const hint =
        "dry_run: false is an argument the model fills in, not the user's approval. When the client declares elicitation, ask (Python: await ctx.elicit(message, Confirm); TypeScript: server.server.elicitInput(..., { relatedRequestId: extra.requestId })) and delete only on accept.";
      // A second server process (fresh plants), with a client that can ask the user.
      const client = await ctx.openClient({ capabilities: { elicitation: { form: {} } } });
      client.onElicitation(() => ({ action: "decline" }));
      const declined = await client.callTool("delete_document", { path, dry_run: false });
      const asks = client.serverRequests().filter((r) => r.method === "elicitation/create");
      if (asks.length === 0) {
        throw new CheckFailure(
          `delete_document(${describe({ path, dry_run: false })}) from a client that declares elicitation answered without asking the user: "${textOf(declined).slice(0, 200)}".`,
          {
            expected: "an elicitation/create request during the call, then nothing deleted on decline",
            hint,
          },
        );
      }
      const ask = asks[0];
      if (!ask.association.associated) {
        throw new CheckFailure(
          `The server asked, but not as part of the tools/call: ${ask.association.problem}.`,
          {
            hint,
          },
        );
      }
      const kept = await client.callTool("read_document", { path });
      if (kept.isError === true || !JSON.stringify(kept).includes(doc.marker)) {
        throw new CheckFailure(`The user declined, and ${DOCS_DIR}/${doc.path} was deleted anyway.`, {
          expected: "the file still there after a decline",
          actual: kept.content,
          hint,
        });
      }
      // Accept, ticking every yes/no field of the form the server sent.
      client.onElicitation((params) => {
        const schema = "requestedSchema" in params ? params.requestedSchema : undefined;
        const fields = Object.entries(schema?.properties ?? {}).filter(([, p]) => p.type === "boolean");
        return { action: "accept", content: Object.fromEntries(fields.map(([name]) => [name, true])) };
      });
      await client.callTool("delete_document", { path, dry_run: false });
      const gone = await client.callTool("read_document", { path });
      if (gone.isError !== true) {
        throw new CheckFailure(
          `The user accepted (every yes/no field true), but ${DOCS_DIR}/${doc.path} is still there.`,
          {
            expected: "the file deleted after the user accepted",
            actual: gone.content,
            hint: "Ask with one boolean field (e.g. confirm) and delete when the answer is accept with it true.",
          },
        );
      }
      return `asked "${describe(ask.params?.message)}"; declined: kept, accepted: deleted`;
    },
  },
];
