import { issuerId } from "@/lib/certificates/credential.ts";
import { publicBaseUrl } from "@/lib/http/base-url.ts";
import { json, route } from "@/lib/http/route.ts";

/** The Open Badges issuer profile that certificates name as their issuer. */
export const GET = route({ access: "public" }, async () => {
  const base = publicBaseUrl();
  return json({
    "@context": [
      "https://www.w3.org/ns/credentials/v2",
      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    id: issuerId(base),
    type: ["Profile"],
    name: "MCP Lab",
    url: base,
    description: "Issuer of certificates for the course Best Practices for Writing MCP Servers.",
    publicKeys: `${base}/.well-known/jwks.json`,
  });
});
