// Small fetch helpers for the lab page: JSON in, JSON out, and the API's error body turned into a
// sentence for the learner ({ error: { code, message, issues? } } from lib/http/route.ts).

export interface ApiError {
  status: number;
  code: string;
  message: string;
  extra: Record<string, unknown>;
}

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; error: ApiError };

interface ErrorBody {
  error?: { code?: string; message?: string; issues?: Array<{ path: string; message: string }> } & Record<
    string,
    unknown
  >;
}

export async function api<T>(url: string, init: RequestInit = {}): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: { "content-type": "application/json", ...(init.headers ?? {}) },
    });
  } catch {
    return {
      ok: false,
      error: {
        status: 0,
        code: "NETWORK",
        message: "Could not reach the server. Check your connection.",
        extra: {},
      },
    };
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (response.ok) return { ok: true, status: response.status, data: body as T };
  const error = (body as ErrorBody | null)?.error;
  const issues = error?.issues?.map((issue) => `${issue.path}: ${issue.message}`) ?? [];
  const base = error?.message ?? `The server answered HTTP ${response.status}.`;
  return {
    ok: false,
    error: {
      status: response.status,
      code: error?.code ?? `HTTP_${response.status}`,
      message: issues.length ? `${base} ${issues.join("; ")}` : base,
      extra: error ?? {},
    },
  };
}
