import { createAppAuth } from "@octokit/auth-app";
import { describeRequestFailure } from "../github/describe-request-failure.js";
import type { GitHubRequest } from "../github/github-client.js";
import {
  type ClassifiedFailure,
  classifyFailure,
  FailurePhase,
} from "../outcome/classify-failure.js";

/** Installation tokens are replaced this long before they expire (GitHub: one hour of life). */
const APP_TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

/** GitHub App credentials as read from a secret. */
export interface AppCredentials {
  readonly appId: string;
  readonly privateKey: string;
  readonly installationId: number;
}

/**
 * Mints installation tokens for one GitHub App installation and keeps the current one until five
 * minutes before it expires. Minting goes through the same request function (API root, timeout,
 * User-Agent) as dispatches.
 */
export class AppTokenMinter {
  private current: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private readonly auth: ReturnType<typeof createAppAuth>;

  constructor(
    readonly credentials: AppCredentials,
    private readonly secretId: string,
    request: GitHubRequest,
    private readonly now: () => number = Date.now,
  ) {
    this.auth = createAppAuth({
      appId: credentials.appId,
      privateKey: credentials.privateKey,
      installationId: credentials.installationId,
      request,
    });
  }

  /** True when both minters would mint for the same App installation with the same key. */
  sameCredentials(other: AppCredentials): boolean {
    const c = this.credentials;
    return (
      c.appId === other.appId &&
      c.installationId === other.installationId &&
      c.privateKey === other.privateKey
    );
  }

  /** The minted token when it is valid for at least five more minutes, else undefined. */
  cachedToken(): string | undefined {
    const current = this.current;
    if (current && this.now() < current.expiresAt - APP_TOKEN_REFRESH_MARGIN_MS) {
      return current.token;
    }
    return undefined;
  }

  /** A token valid for at least five more minutes; mints one when needed. */
  async token(): Promise<string> {
    const cached = this.cachedToken();
    if (cached !== undefined) return cached;
    this.pending ??= this.mint().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async mint(): Promise<string> {
    let result: { token: string; expiresAt: string };
    try {
      result = await this.auth({ type: "installation", refresh: true });
    } catch (error) {
      throw this.classify(error);
    }
    const expiresAt = Date.parse(result.expiresAt);
    this.current = {
      token: result.token,
      expiresAt: Number.isNaN(expiresAt) ? this.now() + 55 * 60_000 : expiresAt,
    };
    return result.token;
  }

  private classify(error: unknown): ClassifiedFailure {
    const isHttp = typeof error === "object" && error !== null && "status" in error;
    if (!isHttp) {
      // Signing the JWT failed: the private key itself is unusable. Its text is never quoted.
      return classifyFailure({
        phase: FailurePhase.Secret,
        status: 0,
        errorKind: "UnparseableSecret",
        message: "privateKey is not a usable PEM RSA private key",
        secretId: this.secretId,
      });
    }
    const failure = describeRequestFailure(error);
    return classifyFailure({
      phase: FailurePhase.Mint,
      status: failure.status,
      headers: failure.headers,
      message: failure.message,
      errorKind: failure.errorKind,
      secretId: this.secretId,
    });
  }
}
