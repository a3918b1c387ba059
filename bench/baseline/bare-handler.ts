import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Octokit } from "@octokit/core";

/*
 * The naive baseline the benchmarks compare against: Octokit plus the Secrets Manager client and
 * nothing else. It reads the secret on every invocation and has no validation, classification,
 * retries, logging or metrics. Never deployed; it exists to be measured beside the real handler.
 */

/** The job fields the bare handler passes on, unchecked. */
export interface BareJob {
  owner: string;
  repo: string;
  workflow_id: string | number;
  ref: string;
  inputs?: Record<string, string | number | boolean>;
}

/** The bare handler's signature. */
export type BareHandler = (event: BareJob) => Promise<{ status: number }>;

/**
 * Builds a bare handler: one Secrets Manager client per container, as naive handlers create at
 * module scope; the secret and a new Octokit on every invocation. `env` is read when invoked.
 */
export function createBareHandler(env: NodeJS.ProcessEnv = process.env): BareHandler {
  const secrets = new SecretsManagerClient({});
  return async (event) => {
    const secret = await secrets.send(
      new GetSecretValueCommand({ SecretId: env.GITHUB_TOKEN_SECRET }),
    );
    const octokit = new Octokit({ auth: secret.SecretString, baseUrl: env.GITHUB_API_URL });
    const response = await octokit.request(
      "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
      {
        owner: event.owner,
        repo: event.repo,
        workflow_id: event.workflow_id,
        ref: event.ref,
        inputs: event.inputs,
      },
    );
    return { status: response.status };
  };
}

/** Dispatches the job in the event, reading the token afresh every time. */
export const handler: BareHandler = createBareHandler();
