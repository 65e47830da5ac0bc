// Request bodies read with a bound: a declared Content-Length over the limit is refused before a byte
// is read, and the stream is read with a running count that stops (and cancels the upload) at the
// limit, so a body without Content-Length (chunked) or with a false one cannot make us buffer more.
import { HttpError } from "./errors.ts";

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(
    413,
    "BODY_TOO_LARGE",
    `The request body is larger than ${Math.round(maxBytes / 1024)} KB.`,
  );
}

/** The body's bytes as text, or 413 BODY_TOO_LARGE once more than `maxBytes` arrive. */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** The body as JSON ({} when empty), 400 MALFORMED_JSON when it is not JSON, 413 when too large. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const text = await readBodyText(request, maxBytes);
  try {
    return text === "" ? {} : JSON.parse(text);
  } catch {
    throw new HttpError(400, "MALFORMED_JSON", "The request body is not valid JSON.");
  }
}
