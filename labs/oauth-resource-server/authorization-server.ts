// The grader as the OAuth 2.1 authorization server of the lab. It serves what a real one serves to a
// resource server (RFC 8414 metadata, a JWKS, a client_credentials token endpoint for the server's own
// downstream token) and mints the user tokens each check sends. The private keys are WebCrypto keys
// created non-extractable in this process: they are never exported, written or sent, and close()
// forgets them, so nothing minted in one run verifies in the next.
//
// Scripted, not a full AS: there is no authorization endpoint, because the grader plays the user and
// the client itself and needs no browser. Real deployments serve every AS endpoint over HTTPS; here
// the issuer is http://127.0.0.1:<port> because the sandbox reaches it over loopback.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from "jose";

export const SIGNING_ALG = "RS256";
export const METADATA_PATH = "/.well-known/oauth-authorization-server";
export const JWKS_PATH = "/.well-known/jwks.json";
export const TOKEN_PATH = "/token";

/** What a request to the AS was, for the boundary check and the tests. */
export interface AsRequest {
  at: number;
  method: string;
  path: string;
  status: number;
  /** The published endpoint it hit, or null for anything else (probing). */
  endpoint: "metadata" | "discovery" | "jwks" | "token" | null;
}

/** One token the AS issued: who for and which audience (the downstream uses it to spot passthrough). */
export interface Issued {
  aud: unknown;
  sub: unknown;
  purpose: "user" | "service";
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  publicPem: string;
}

export interface ServiceClient {
  clientId: string;
  clientSecret: string;
  /** The only resource (RFC 8707) it may ask a token for, and the scope it gets. */
  resource: string;
  scope: string;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { modulusLength: 2048 });
  const kid = randomBytes(9).toString("base64url");
  const jwk = await exportJWK(publicKey);
  return {
    kid,
    privateKey,
    publicJwk: { ...jwk, kid, alg: SIGNING_ALG, use: "sig" },
    publicPem: await exportSPKI(publicKey),
  };
}

const now = () => Math.floor(Date.now() / 1000);

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage, limit = 16 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class AuthorizationServer {
  readonly issuer: string;
  readonly server: Server;
  readonly requests: AsRequest[] = [];
  /** Public keys in the JWKS, oldest first; the last one signs. */
  private keys: SigningKey[];
  /** Generated up front so a rotation check does not wait for RSA key generation. */
  private spare: SigningKey | undefined;
  private readonly issued = new Map<string, Issued>();
  private closed = false;
  private readonly client: ServiceClient;
  private readonly userScopes: string[];

  private constructor(
    issuer: string,
    keys: SigningKey[],
    spare: SigningKey,
    client: ServiceClient,
    userScopes: string[],
  ) {
    this.issuer = issuer;
    this.client = client;
    this.userScopes = userScopes;
    this.keys = keys;
    this.spare = spare;
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  static async create(options: {
    issuer: string;
    client: ServiceClient;
    userScopes: string[];
  }): Promise<AuthorizationServer> {
    const [first, spare] = await Promise.all([newKey(), newKey()]);
    return new AuthorizationServer(options.issuer, [first], spare, options.client, options.userScopes);
  }

  get jwksUri(): string {
    return `${this.issuer}${JWKS_PATH}`;
  }

  get tokenEndpoint(): string {
    return `${this.issuer}${TOKEN_PATH}`;
  }

  /** RFC 8414 authorization server metadata. */
  metadata(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      token_endpoint: this.tokenEndpoint,
      jwks_uri: this.jwksUri,
      scopes_supported: [...this.userScopes, this.client.scope],
      // REQUIRED by RFC 8414; empty because this scripted AS has no authorization endpoint.
      response_types_supported: [],
      grant_types_supported: ["client_credentials"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    };
  }

  /** The JWKS: public parts only. */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => ({ ...k.publicJwk })) };
  }

  /** The kid that signs new tokens. */
  signingKid(): string {
    return this.live().at(-1)?.kid ?? "";
  }

  /** The current signing key's public key, as PEM (SPKI): what a key-confusion attacker has. */
  signingPublicPem(): string {
    return this.live().at(-1)?.publicPem ?? "";
  }

  signingPublicJwk(): JWK {
    return { ...(this.live().at(-1)?.publicJwk ?? {}) };
  }

  /** Publishes a new key in the JWKS (the old one stays) and signs with it from now on. */
  async rotate(): Promise<string> {
    const next = this.spare ?? (await newKey());
    this.spare = undefined;
    this.live().push(next);
    return next.kid;
  }

  /** Times (ms since the epoch) the JWKS was served. */
  jwksFetches(): number[] {
    return this.requests.filter((r) => r.endpoint === "jwks" && r.status === 200).map((r) => r.at);
  }

  /** What the AS issued this token for, if it issued it. */
  issuedFor(token: string): Issued | undefined {
    return this.issued.get(token);
  }

  /** Every token issued so far (user and service). */
  issuedTokens(): string[] {
    return [...this.issued.keys()];
  }

  /** Signs `payload` as given (the caller sets every claim) with the current key. */
  async sign(payload: Record<string, unknown>, purpose: Issued["purpose"] = "user"): Promise<string> {
    const key = this.live().at(-1);
    if (!key) throw new Error("the authorization server has no signing key");
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: SIGNING_ALG, typ: "at+jwt", kid: key.kid })
      .sign(key.privateKey);
    this.issued.set(token, { aud: payload.aud, sub: payload.sub, purpose });
    return token;
  }

  /** Whether any private key could be exported; never, since they are created non-extractable. */
  privateKeysExportable(): boolean {
    return [...this.keys, ...(this.spare ? [this.spare] : [])].some((k) => k.privateKey.extractable);
  }

  /** Forgets keys and tokens: after close() nothing can be minted or looked up. */
  close(): void {
    this.closed = true;
    this.keys = [];
    this.spare = undefined;
    this.issued.clear();
  }

  private live(): SigningKey[] {
    if (this.closed) throw new Error("the authorization server is closed");
    return this.keys;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://as").pathname;
    const method = req.method ?? "GET";
    const record = (status: number, endpoint: AsRequest["endpoint"]) =>
      this.requests.push({ at: Date.now(), method, path, status, endpoint });
    if (this.closed) {
      record(503, null);
      return send(res, 503, { error: "temporarily_unavailable" });
    }
    if (method === "GET" && path === METADATA_PATH) {
      record(200, "metadata");
      return send(res, 200, this.metadata(), { "cache-control": "max-age=300" });
    }
    if (method === "GET" && path === JWKS_PATH) {
      record(200, "jwks");
      return send(res, 200, this.jwks(), { "cache-control": "max-age=300" });
    }
    if (method === "POST" && path === TOKEN_PATH) {
      const { status, body, headers } = await this.token(req);
      record(status, "token");
      return send(res, status, body, headers);
    }
    // Other discovery documents (OpenID Connect) are a client's fallback, not an attack.
    const discovery = method === "GET" && path.startsWith("/.well-known/");
    record(404, discovery ? "discovery" : null);
    send(res, 404, { error: "not_found" });
  }

  /** client_credentials for the one service client (RFC 6749 §4.4, RFC 8707 resource). */
  private async token(
    req: IncomingMessage,
  ): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    let form: URLSearchParams;
    try {
      form = new URLSearchParams(await readBody(req));
    } catch {
      return { status: 400, body: { error: "invalid_request" } };
    }
    let clientId = form.get("client_id") ?? "";
    let secret = form.get("client_secret") ?? "";
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? "");
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      clientId = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    }
    if (clientId !== this.client.clientId || !sameSecret(secret, this.client.clientSecret)) {
      return {
        status: 401,
        body: { error: "invalid_client", error_description: "unknown client or wrong secret" },
        headers: { "www-authenticate": 'Basic realm="token"' },
      };
    }
    if (form.get("grant_type") !== "client_credentials") {
      return {
        status: 400,
        body: { error: "unsupported_grant_type", error_description: "only client_credentials" },
      };
    }
    const resource = form.get("resource");
    if (resource !== null && resource.replace(/\/$/, "") !== this.client.resource) {
      return {
        status: 400,
        body: {
          error: "invalid_target",
          error_description: `this client may only get tokens for ${this.client.resource}`,
        },
      };
    }
    const scope = form.get("scope");
    if (scope?.split(" ").some((s) => s && s !== this.client.scope)) {
      return {
        status: 400,
        body: { error: "invalid_scope", error_description: `only ${this.client.scope}` },
      };
    }
    const iat = now();
    const accessToken = await this.sign(
      {
        iss: this.issuer,
        sub: this.client.clientId,
        aud: this.client.resource,
        client_id: this.client.clientId,
        scope: this.client.scope,
        iat,
        exp: iat + 300,
        jti: randomBytes(9).toString("base64url"),
      },
      "service",
    );
    return {
      status: 200,
      body: { access_token: accessToken, token_type: "Bearer", expires_in: 300, scope: this.client.scope },
    };
  }
}
