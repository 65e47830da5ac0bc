import "server-only";
import { ConfigError, config, publicSiteUrl } from "../config.ts";
import { HttpError } from "./errors.ts";

/**
 * The site's public origin, from configuration only (NEXTAUTH_URL; see publicSiteUrl). Never from the
 * request's Host or X-Forwarded-Host: this URL is signed into certificates as their issuer.
 */
export function publicBaseUrl(): string {
  try {
    return publicSiteUrl(config());
  } catch (error) {
    if (error instanceof ConfigError)
      throw new HttpError(503, "PUBLIC_URL_NOT_CONFIGURED", "This site's public URL is not configured yet.");
    throw error;
  }
}
