import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { GitHubRequest } from "../lambda/github/github-client.js";
import { TokenProvider } from "../lambda/secrets/token-provider.js";
import { unreachableError } from "./cli-error.js";
import { ensureAwsConfig } from "./ensure-aws-config.js";

/** Where a dispatch's token comes from: `GITHUB_TOKEN` or a Secrets Manager secret. */
export type TokenSource =
  | { readonly kind: "env" }
  | { readonly kind: "secret"; readonly id: string };

/** What decides the token source, strongest first. */
export interface TokenChoice {
  /** `--secret`. */
  readonly secret?: string;
  /** The job's own `token_secret`. */
  readonly jobSecret?: string;
  /** The config's default secret, when the job comes from a configured schedule. */
  readonly configSecret?: string;
}

/**
 * `--secret`, else (for a configured schedule) the job's or the config's secret, as the function
 * would use; else a job's `token_secret`; else `GITHUB_TOKEN`. Throws (exit code 3) when none is set.
 */
export function chooseTokenSource(choice: TokenChoice, env: NodeJS.ProcessEnv): TokenSource {
  const secret = choice.secret ?? choice.jobSecret ?? choice.configSecret;
  if (secret) return { kind: "secret", id: secret };
  if (env.GITHUB_TOKEN) return { kind: "env" };
  throw unreachableError(
    "no GitHub token: set GITHUB_TOKEN, or pass --secret SECRET_ID naming a Secrets Manager secret with a token or GitHub App credentials",
  );
}

/** The source as named in output and failure reasons; never the token itself. */
export function describeTokenSource(source: TokenSource): string {
  return source.kind === "env" ? "$GITHUB_TOKEN" : `secret ${source.id}`;
}

/**
 * The token itself: from the environment, or read (and for GitHub App credentials minted) by the
 * function's own {@link TokenProvider}. Throws the provider's classified errors.
 */
export async function readToken(
  source: TokenSource,
  request: GitHubRequest,
  region: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  if (source.kind === "env") return env.GITHUB_TOKEN ?? "";
  const client = new SecretsManagerClient(region ? { region } : {});
  await ensureAwsConfig(client, {
    service: "Secrets Manager",
    endpointVariable: "AWS_ENDPOINT_URL_SECRETS_MANAGER",
  });
  return new TokenProvider({ client, request, ttlMs: 0 }).token(source.id);
}
