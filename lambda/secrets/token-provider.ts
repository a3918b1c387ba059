import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { GitHubRequest } from "../github/github-client.js";
import {
  type ClassifiedFailure,
  classifyFailure,
  FailurePhase,
} from "../outcome/classify-failure.js";
import {
  type InvocationDeadline,
  notSentBeforeDeadline,
  timeLeftMs,
} from "../outcome/invocation-deadline.js";
import { AppTokenMinter } from "./app-token.js";
import { type GitHubCredentials, parseSecret, UnusableSecretError } from "./parse-secret.js";

/** Options of {@link TokenProvider}. */
export interface TokenProviderOptions {
  /** The Secrets Manager client; injected so tests and other regions can supply their own. */
  readonly client: SecretsManagerClient;
  /** The GitHub request function App installation tokens are minted through. */
  readonly request: GitHubRequest;
  /** How long a secret value is reused before it is read again. */
  readonly ttlMs: number;
  /** Clock, epoch ms. @default Date.now */
  readonly now?: () => number;
}

interface CachedSecret {
  readonly readAt: number;
  readonly credentials: Promise<GitHubCredentials>;
  /** The credentials once the read has succeeded. */
  resolved?: GitHubCredentials;
}

/**
 * Hands out GitHub tokens by secret id. Secret values are cached per container for `ttlMs` (one
 * `GetSecretValue` per secret per TTL, concurrent callers share the read); App credentials are
 * minted into installation tokens, kept until five minutes before they expire. Failures are
 * classified errors naming the secret id, never its value.
 */
export class TokenProvider {
  private readonly secrets = new Map<string, CachedSecret>();
  private readonly minters = new Map<string, AppTokenMinter>();
  private readonly now: () => number;

  constructor(private readonly options: TokenProviderOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The token {@link token} would give right now without waiting: a secret read within the TTL
   * that holds a token, or an App installation token minted and not yet due for refresh. Else
   * undefined, and the caller goes through {@link token}.
   */
  cachedToken(secretId: string): string | undefined {
    const credentials = this.freshEntry(secretId)?.resolved;
    if (credentials === undefined) return undefined;
    if (credentials.kind === "token") return credentials.token;
    const minter = this.minters.get(secretId);
    return minter?.sameCredentials(credentials) ? minter.cachedToken() : undefined;
  }

  /** A token from `secretId`: the token it holds, or an installation token minted from it. */
  async token(secretId: string): Promise<string> {
    const credentials = await this.credentials(secretId);
    if (credentials.kind === "token") return credentials.token;
    let minter = this.minters.get(secretId);
    if (minter === undefined || !minter.sameCredentials(credentials)) {
      minter = new AppTokenMinter(credentials, secretId, this.options.request, this.now);
      this.minters.set(secretId, minter);
    }
    return minter.token();
  }

  /**
   * {@link token}, or, when it has not arrived by the invocation's deadline, the retryable
   * {@link notSentBeforeDeadline}: no dispatch was sent, so the retry cannot duplicate a run. A
   * cached token needs no race (the usual case on a warm container). The read itself is not
   * cancelled, as other jobs of the batch may share it; its result is cached as usual.
   */
  async tokenWithin(secretId: string, deadline: InvocationDeadline): Promise<string> {
    const cached = this.cachedToken(secretId);
    if (cached !== undefined) return cached;
    const pending = this.token(secretId);
    if (deadline.atMs === Number.POSITIVE_INFINITY) return pending;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          // The read may still fail later; nobody waits for it then.
          pending.catch(() => undefined);
          reject(
            notSentBeforeDeadline(
              `the token from ${secretId} did not arrive before this invocation's deadline`,
            ),
          );
        },
        timeLeftMs(deadline, performance.now()),
      );
    });
    try {
      return await Promise.race([pending, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Forgets the cached value and any minted token of `secretId`: the next call reads it afresh. */
  invalidate(secretId: string): void {
    this.secrets.delete(secretId);
    this.minters.delete(secretId);
  }

  /** The cached read of `secretId` while it is younger than the TTL, else undefined. */
  private freshEntry(secretId: string): CachedSecret | undefined {
    const cached = this.secrets.get(secretId);
    return cached !== undefined && this.now() - cached.readAt < this.options.ttlMs
      ? cached
      : undefined;
  }

  private credentials(secretId: string): Promise<GitHubCredentials> {
    const cached = this.freshEntry(secretId);
    if (cached !== undefined) return cached.credentials;
    const credentials = this.read(secretId);
    const entry: CachedSecret = { readAt: this.now(), credentials };
    this.secrets.set(secretId, entry);
    credentials.then(
      (value) => {
        entry.resolved = value;
      },
      () => {
        if (this.secrets.get(secretId) === entry) this.secrets.delete(secretId);
      },
    );
    return credentials;
  }

  private async read(secretId: string): Promise<GitHubCredentials> {
    let secretString: string | undefined;
    try {
      const output = await this.options.client.send(
        new GetSecretValueCommand({ SecretId: secretId }),
      );
      secretString = output.SecretString;
    } catch (error) {
      throw classifyAwsError(error, secretId);
    }
    try {
      return parseSecret(secretString);
    } catch (error) {
      if (!(error instanceof UnusableSecretError)) throw error;
      throw classifyFailure({
        phase: FailurePhase.Secret,
        status: 0,
        errorKind: "UnparseableSecret",
        message: error.message,
        secretId,
      });
    }
  }
}

function classifyAwsError(error: unknown, secretId: string): ClassifiedFailure {
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const name = typeof e.name === "string" && !/^(Type)?Error$/.test(e.name) ? e.name : undefined;
  const kind = name ?? (typeof e.code === "string" ? e.code : "Error");
  return classifyFailure({
    phase: FailurePhase.Secret,
    status: e.$metadata?.httpStatusCode ?? 0,
    errorKind: kind,
    message: typeof e.message === "string" ? e.message : undefined,
    secretId,
  });
}
