// The HttpError a call is refused with; anything else (another error, or no refusal) fails the test.
import { HttpError } from "../../lib/http/errors.ts";

export async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}
