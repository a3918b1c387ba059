import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { type GitHubAppIdentity, verifyAppJwt } from "./github-app-jwt.js";
import { badCredentials, type GitHubAnswer, gitHubError, notFound } from "./github-responses.js";

/** The credential of an `Authorization: token X` / `Bearer X` header, scheme in lower case. */
export function credentialOf(
  request: IncomingMessage,
): { scheme: "token" | "bearer"; value: string } | undefined {
  const match = /^(token|bearer)\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  if (!match) return undefined;
  const scheme = (match[1] ?? "").toLowerCase() === "bearer" ? "bearer" : "token";
  return { scheme, value: match[2] ?? "" };
}

/**
 * The GitHub App side of the stand-in: checks App JWTs, mints installation tokens
 * (`POST /app/installations/{id}/access_tokens`) and knows which minted tokens are still valid.
 */
export class InstallationTokenIssuer {
  private readonly valid = new Map<string, number>();
  private readonly all: string[] = [];

  constructor(
    private readonly app: GitHubAppIdentity | undefined,
    private readonly clock: () => number,
  ) {}

  /** Answers a mint request: 201 with `token` and `expires_at`, 401 for a bad JWT, 404 for another installation. */
  mint(request: IncomingMessage, installationId: string): GitHubAnswer {
    const denied = this.deniedAnswer(request, installationId);
    if (denied || !this.app) return denied ?? { status: 401, body: badCredentials() };
    const token = `ghs_${randomBytes(27).toString("base64url").replace(/[-_]/g, "x")}`;
    const expiresAt = this.clock() + (this.app.tokenTtlSeconds ?? 3600) * 1000;
    this.valid.set(token, expiresAt);
    this.all.push(token);
    return {
      status: 201,
      body: {
        token,
        expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
        permissions: { actions: "write", metadata: "read" },
        repository_selection: "all",
      },
    };
  }

  /** Answers `GET /app/installations/{id}` with a minimal installation. */
  installation(request: IncomingMessage, installationId: string): GitHubAnswer {
    const denied = this.deniedAnswer(request, installationId);
    if (denied || !this.app) return denied ?? { status: 401, body: badCredentials() };
    return {
      status: 200,
      body: {
        id: this.app.installationId,
        app_id: this.app.appId,
        target_type: "Organization",
        account: { login: "acme", id: 1, type: "Organization" },
        permissions: { actions: "write", metadata: "read" },
        repository_selection: "all",
        events: [],
      },
    };
  }

  /** True for a minted token that has not expired or been revoked. */
  accepts(token: string): boolean {
    const expiresAt = this.valid.get(token);
    return expiresAt !== undefined && expiresAt > this.clock();
  }

  /** Revokes every minted token (they stay listed in {@link minted}). */
  revokeAll(): void {
    this.valid.clear();
  }

  /** Every token minted so far, oldest first. */
  minted(): string[] {
    return [...this.all];
  }

  private deniedAnswer(request: IncomingMessage, installationId: string): GitHubAnswer | undefined {
    const credential = credentialOf(request);
    if (!this.app || credential?.scheme !== "bearer") {
      return { status: 401, body: gitHubError(401, "A JSON web token could not be decoded") };
    }
    const check = verifyAppJwt(credential.value, this.app, this.clock());
    if (!check.ok) return { status: 401, body: gitHubError(401, check.message) };
    if (installationId !== String(this.app.installationId))
      return { status: 404, body: notFound() };
    return undefined;
  }
}
