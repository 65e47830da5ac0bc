import "server-only";
// Every route handler goes through `route(...)`: it authenticates, checks the role, parses the
// body/params/query with zod, gives the handler a logger with a request id, and turns typed errors into
// JSON responses. The authorization matrix test has this one place to prove.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { z } from "zod";
import { hasRole, type Role } from "../auth/roles.ts";
import { type CurrentUser, currentUser } from "../auth/session.ts";
import { requestLogger } from "../log.ts";
import { HttpError } from "./errors.ts";
import { readJsonBody } from "./read-body.ts";

type Access = "public" | Role;

interface RouteSpec<TBody extends z.ZodType, TParams extends z.ZodType, TQuery extends z.ZodType> {
  access: Access;
  body?: TBody;
  params?: TParams;
  query?: TQuery;
  /** Bytes (default 64 KB); larger bodies are refused unread, or as soon as the count passes it (lib/http/read-body.ts). */
  maxBodyBytes?: number;
}

interface RouteContext<TBody, TParams, TQuery, TUser> {
  request: Request;
  user: TUser;
  body: TBody;
  params: TParams;
  query: TQuery;
  log: Logger;
  requestId: string;
}

type UserFor<A extends Access> = A extends "public" ? CurrentUser | null : CurrentUser;

export function json(data: unknown, init: ResponseInit = {}): Response {
  return Response.json(data, init);
}

function errorResponse(
  status: number,
  code: string,
  message: string,
  requestId: string,
  extra: Record<string, unknown> = {},
) {
  return json({ error: { code, message, ...extra } }, { status, headers: { "x-request-id": requestId } });
}

function describeIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.join(".") || "(body)", message: issue.message }));
}

export function route<
  A extends Access,
  TBody extends z.ZodType = z.ZodUnknown,
  TParams extends z.ZodType = z.ZodUnknown,
  TQuery extends z.ZodType = z.ZodUnknown,
>(
  spec: RouteSpec<TBody, TParams, TQuery> & { access: A },
  handler: (
    ctx: RouteContext<z.infer<TBody>, z.infer<TParams>, z.infer<TQuery>, UserFor<A>>,
  ) => Promise<Response>,
) {
  return async (request: Request, segment: { params?: Promise<Record<string, string | string[]>> } = {}) => {
    const requestId = request.headers.get("x-request-id") ?? randomUUID();
    const log = requestLogger(requestId);
    try {
      const user = await currentUser();
      if (spec.access !== "public") {
        if (!user) return errorResponse(401, "UNAUTHENTICATED", "Sign in first.", requestId);
        if (!hasRole(user.role, spec.access))
          return errorResponse(403, "FORBIDDEN", "Your role does not allow this.", requestId);
      }
      const parse = <S extends z.ZodType>(schema: S | undefined, value: unknown, what: string) => {
        if (!schema) return value;
        const parsed = schema.safeParse(value);
        if (!parsed.success)
          throw new HttpError(400, "INVALID_INPUT", `The ${what} is not valid.`, {
            issues: describeIssues(parsed.error),
          });
        return parsed.data;
      };
      const params = parse(spec.params, segment.params ? await segment.params : {}, "path");
      const query = parse(spec.query, Object.fromEntries(new URL(request.url).searchParams), "query");
      const hasBody = request.method !== "GET" && request.method !== "HEAD" && spec.body !== undefined;
      const body = hasBody
        ? parse(spec.body, await readJsonBody(request, spec.maxBodyBytes ?? 64 * 1024), "request body")
        : undefined;
      const response = await handler({
        request,
        user: user as UserFor<A>,
        body: body as z.infer<TBody>,
        params: params as z.infer<TParams>,
        query: query as z.infer<TQuery>,
        log,
        requestId,
      });
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      if (error instanceof HttpError)
        return errorResponse(error.status, error.code, error.message, requestId, error.extra);
      log.error({ err: error, url: request.url }, "unhandled route error");
      return errorResponse(
        500,
        "INTERNAL",
        "Something went wrong on our side; it has been logged.",
        requestId,
      );
    }
  };
}
